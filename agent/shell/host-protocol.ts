import { z } from 'zod';

/**
 * The JSON-lines protocol between the agent and its PowerShell host (agent/scripts/host.ps1).
 * Agent to host: {"type":"run","id":1,"script":"inventory","parameters":{...}} or {"type":"exit"}.
 * Host to agent: lines carrying "ppo":1 (anything else on stdout is noise and is ignored):
 * one "ready" (or "fatal") after start-up, then one "reply" per run.
 */
export const hostReadySchema = z.object({
    ppo: z.literal(1),
    type: z.literal('ready'),
    mode: z.string(),
    missingCmdlets: z.array(z.string()).default([]),
});

export const hostFatalSchema = z.object({ ppo: z.literal(1), type: z.literal('fatal'), message: z.string() });

export const hostReplySchema = z.discriminatedUnion('ok', [
    z.object({ ppo: z.literal(1), type: z.literal('reply'), id: z.number().int(), ok: z.literal(true), result: z.unknown(), warnings: z.array(z.string()).default([]) }),
    z.object({
        ppo: z.literal(1),
        type: z.literal('reply'),
        id: z.number().int(),
        ok: z.literal(false),
        error: z.object({ message: z.string(), errorId: z.string().nullable().default(null), exceptionType: z.string().nullable().default(null) }),
    }),
]);

export const hostMessageSchema = z.union([hostReadySchema, hostFatalSchema, hostReplySchema]);

export type HostReady = z.infer<typeof hostReadySchema>;
export type HostReply = z.infer<typeof hostReplySchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;

export interface HostRunRequest {
    readonly type: 'run';
    readonly id: number;
    readonly script: string;
    readonly parameters: Readonly<Record<string, unknown>>;
}

/** A protocol line from the host, or undefined for noise (Write-Host output, warnings, garbage). */
export function parseHostLine(line: string): HostMessage | undefined {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) return undefined;
    let json: unknown;
    try {
        json = JSON.parse(trimmed);
    } catch {
        return undefined;
    }
    const parsed = hostMessageSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
}
