import { z } from 'zod';

/**
 * How many Exchange sessions the agent runs operations on side by side (agent `shell.sessions`):
 * each session is one PowerShell host with the Exchange cmdlets loaded, running one script at a time.
 *
 * The ceiling: in remote mode every session is a remote PowerShell session of the agent's account, and
 * Exchange's throttling policy caps those per user: PowerShellMaxConcurrency, "the maximum number of
 * remote PowerShell sessions that a remote PowerShell user can have open at the same time"
 * (learn.microsoft.com/powershell/module/exchangepowershell/set-throttlingpolicy, -PowerShellMaxConcurrency),
 * 18 in the default policy (the error when it is exceeded reads "This user is allowed a maximum of 18
 * concurrent shells"). At most 8 leaves more than half of that to the administrators who share the
 * account and to a dropped session that still counts until WinRM lets it go. The default of 4 lets
 * the AuthServer and the push proxy run alongside an import, and imports go four servers at a time.
 */
export const EXCHANGE_SESSIONS = { default: 4, max: 8 } as const;

/** A number of Exchange sessions, as the agent's configuration takes it and its inventory reports it. */
export const exchangeSessionsSchema = z.number().int().min(1).max(EXCHANGE_SESSIONS.max);
