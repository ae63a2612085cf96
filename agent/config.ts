import { z } from 'zod';
import { ConfigurationError } from '../lib/errors';
import { EXCHANGE_SESSIONS, exchangeSessionsSchema } from '../lib/protocol';

const sessionsSchema = exchangeSessionsSchema
    .default(EXCHANGE_SESSIONS.default)
    .describe(`Exchange sessions run side by side, each one PowerShell host; at most ${EXCHANGE_SESSIONS.max}, under Exchange's PowerShellMaxConcurrency (lib/protocol/exchange-sessions.ts).`);

const shellSchema = z.discriminatedUnion('mode', [
    z.strictObject({
        mode: z.literal('snapIn').describe('Load the Exchange Management Shell snap-in in the agent\'s own PowerShell (on an Exchange server).'),
        powershellPath: z.string().min(1).optional().describe('Default: %SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe, by its absolute path.'),
        startTimeoutSeconds: z.number().int().min(5).max(1800).default(180),
        callTimeoutSeconds: z.number().int().min(5).max(3600).default(300),
        sessions: sessionsSchema,
    }),
    z.strictObject({
        mode: z.literal('remote').describe('Import a remote Exchange PowerShell session (RBAC applies).'),
        connectionUri: z.url().describe('e.g. http://ex1.corp.contoso.com/PowerShell/'),
        authentication: z.enum(['Kerberos', 'Negotiate', 'Default']).default('Kerberos'),
        powershellPath: z.string().min(1).optional().describe('Default: %SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe, by its absolute path.'),
        startTimeoutSeconds: z.number().int().min(5).max(1800).default(180),
        callTimeoutSeconds: z.number().int().min(5).max(3600).default(300),
        sessions: sessionsSchema,
    }),
]);

/** The agent's configuration file (JSON; on a server protected with DPAPI by install-service.ps1). */
export const agentConfigSchema = z.strictObject({
    relay: z.strictObject({
        namespace: z.string().min(1).describe('e.g. contoso-ppo.servicebus.windows.net'),
        hybridConnection: z.string().min(1).max(260),
        listenRuleName: z.string().min(1).default('agent-listen').describe('A shared access rule with only the Listen right.'),
        listenKey: z.string().min(16).describe('The Listen rule\'s key.'),
        caFile: z.string().min(1).optional().describe('PEM of an extra CA to trust: only for the local relay stand-in.'),
        proxy: z
            .union([
                z.literal('direct').describe('Connect directly even when HTTPS_PROXY is set.'),
                z.strictObject({
                    url: z.string().min(1).describe('The HTTP proxy, e.g. http://proxy.corp.contoso.com:8080 (HTTP CONNECT).'),
                    username: z.string().min(1).optional().describe('Basic proxy authentication.'),
                    password: z.string().optional().describe('Basic proxy authentication; never logged.'),
                    bypass: z.array(z.string().min(1)).optional().describe('Hosts reached directly, as in NO_PROXY.'),
                }),
            ])
            .optional()
            .describe('Outbound proxy for the relay connections; without it the agent reads HTTPS_PROXY and NO_PROXY.'),
    }),
    sharedSecret: z.string().min(32, 'must be at least 32 characters (the hook makes 64 hex digits)').describe('Signs requests and seals private keys; the same value as the agent-secret-<name> Key Vault secret.'),
    dataFolder: z.string().min(1).describe('Operation results (operations.jsonl) and the audit log (audit.jsonl).'),
    shell: shellSchema.default({ mode: 'snapIn', startTimeoutSeconds: 180, callTimeoutSeconds: 300, sessions: EXCHANGE_SESSIONS.default }),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type ShellConfig = AgentConfig['shell'];

/** Validates a parsed configuration; the error names each bad setting, never its value. */
export function parseAgentConfig(raw: unknown, source: string): AgentConfig {
    const parsed = agentConfigSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => {
        const setting = issue.path.map(String).join('.') || '(root)';
        const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
        return `${setting}: ${issue.message}${keys}`;
    });
    throw new ConfigurationError(`The agent configuration ${source} is invalid: ${problems.join('; ')}`, {
        remedy: 'Fix the named settings; docs/agent.md lists them.',
    });
}
