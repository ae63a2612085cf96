import { z } from 'zod';
import { isoTimeSchema, serverNameSchema } from '../common-schemas';

export const PUSH_PROXY_PROBE = 'PushNotifications.Proxy\\PushNotificationsEnterpriseConnectivityProbe';

export const invokeProbeParamsSchema = z.strictObject({
    server: serverNameSchema.optional().describe('Default: the first Mailbox server, as in the article.'),
});

export const invokeProbeResultSchema = z.object({
    server: z.string(),
    resultType: z.string().describe('"Succeeded" when push notifications reach the proxy.'),
    error: z.string().nullable(),
    exception: z.string().nullable(),
    executionEndTime: isoTimeSchema.nullable(),
});

export type InvokeProbeParams = z.output<typeof invokeProbeParamsSchema>;
export type InvokeProbeResult = z.infer<typeof invokeProbeResultSchema>;
