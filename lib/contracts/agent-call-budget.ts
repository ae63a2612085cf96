/**
 * How many servers one agent call may take on, so that the call ends within its budget: the agent's
 * host gives one script `scriptMs` (agent/config.ts, shell.callTimeoutSeconds, default 300) before
 * it kills it and the call fails. A remote operation on one server (an import, a service restart)
 * takes 10 to 60 s on a real organization (issue 16); the budget counts the slow end, and keeps a
 * fifth for the call's own Exchange queries.
 *
 * Imports run one server after the other in one Exchange session (a runspace runs one pipeline at a
 * time: about_Runspaces; Install-PushProxyCertificate.ps1), and the agent splits a call's servers
 * across its sessions (agent/shell/exchange-shell-pool.ts), each importing its share side by side: a
 * call holds `scriptMs × 0.8 / 60 s` imports per session, times the sessions the agent reported in its
 * inventory (InventoryView.exchangeSessions; one when it did not say, as an agent older than the pool).
 * Learning it from the inventory, rather than a constant here, keeps an agent configured with fewer
 * sessions within its budget, and it is deterministic: the inventory is in the orchestration's history.
 * Restarts fan out through Invoke-Command -ComputerName, `remoteThrottleLimit` servers at
 * a time (its default -ThrottleLimit, learn.microsoft.com/powershell/module/microsoft.powershell.core/
 * invoke-command?view=powershell-5.1), so a call holds that many waves of them; one session runs them.
 */
export const agentCallBudget = {
    scriptMs: 300_000,
    usableShare: 0.8,
    serverOperationMs: 60_000,
    remoteThrottleLimit: 32,
} as const;

export type PerServerWork = 'oneAfterAnother' | 'fannedOut';

/** The most servers one agent call of this kind may be given, by an agent running `sessions` Exchange sessions. */
export function serversPerAgentCall(work: PerServerWork, sessions = 1, budget: typeof agentCallBudget = agentCallBudget): number {
    const operations = Math.max(1, Math.floor((budget.scriptMs * budget.usableShare) / budget.serverOperationMs));
    return work === 'oneAfterAnother' ? operations * Math.max(1, Math.floor(sessions)) : operations * budget.remoteThrottleLimit;
}

/** The servers in the order given, cut into consecutive batches that each fit one agent call. */
export function agentCallBatches<T>(servers: readonly T[], work: PerServerWork, sessions = 1): T[][] {
    const size = serversPerAgentCall(work, sessions);
    const batches: T[][] = [];
    for (let start = 0; start < servers.length; start += size) batches.push(servers.slice(start, start + size));
    return batches;
}

/** The operation id of a batch: the step's own id when one call is enough, so a run's ids stay as they were. */
export function batchStep(step: string, index: number, count: number): string {
    return count === 1 ? step : `${step}-batch${index + 1}of${count}`;
}
