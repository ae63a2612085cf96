import { z } from 'zod';
import { isoTimeSchema, serverNameSchema } from '../common-schemas';

export const restartHealthManagerParamsSchema = z.strictObject({
    servers: z.array(serverNameSchema).min(1).max(200).optional().describe('Default: every Mailbox server.'),
});

export const restartHealthManagerResultSchema = z.object({
    servers: z.array(
        z.object({
            server: z.string(),
            restarted: z.boolean(),
            restartedAt: isoTimeSchema.nullable(),
            error: z.string().nullable(),
        }),
    ),
});

export type RestartHealthManagerParams = z.output<typeof restartHealthManagerParamsSchema>;
export type RestartHealthManagerResult = z.infer<typeof restartHealthManagerResultSchema>;
