import { z } from 'zod';

/** 1 MiB: the largest request body the agent reads. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** Operation ids: chosen by the caller, deterministic per orchestration run and step. */
export const operationIdSchema = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/, 'must be 1-200 characters of letters, digits and . _ : @ / -');

/** The JSON body of every request: the signed body carries the operation id, so it cannot be swapped. */
export const requestBodySchema = z.strictObject({
    operationId: operationIdSchema,
    params: z.unknown(),
});

export type RequestBody = z.infer<typeof requestBodySchema>;
