import { z } from 'zod';
import { replyEnvelopeSchema } from '../../lib/protocol';

export const storedOperationSchema = z.object({
    operation: z.string(),
    paramsHash: z.string(),
    completedAtMs: z.number(),
    status: z.number().int(),
    reply: replyEnvelopeSchema,
});

/** A finished operation's reply, kept so that a repeated operation id gets it instead of running again. */
export type StoredOperation = z.infer<typeof storedOperationSchema>;

/** One stored operation with its id, in the order it was saved. */
export type StoredOperationEntry = readonly [operationId: string, entry: StoredOperation];
