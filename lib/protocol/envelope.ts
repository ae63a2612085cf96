import { z } from 'zod';
import { type AgentErrorCode, agentErrorSpec } from './error-codes';

export const agentErrorBodySchema = z.object({
    code: z.string().min(1),
    message: z.string(),
    transient: z.boolean(),
});

export const failureReplySchema = z.object({ ok: z.literal(false), error: agentErrorBodySchema });

/** `{ok:true, result}` or `{ok:false, error:{code, message, transient}}`; the result is checked per operation. */
export const replyEnvelopeSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), result: z.unknown() }), failureReplySchema]);

export type AgentErrorBody = z.infer<typeof agentErrorBodySchema>;
export type ReplyEnvelope<T = unknown> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: AgentErrorBody };

export function successReply<T>(result: T): ReplyEnvelope<T> {
    return { ok: true, result };
}

export function failureReply(code: AgentErrorCode, message: string): ReplyEnvelope<never> {
    return { ok: false, error: { code, message, transient: agentErrorSpec(code).transient } };
}
