import { z } from 'zod';
import { domainNameSchema } from '../common-schemas';
import { pushNotificationAppSchema } from './inventory';

export const enablePushProxyParamsSchema = z.strictObject({
    organization: domainNameSchema.describe('Enable-PushNotificationProxy -Organization: the tenant domain.'),
    uri: z
        .string()
        .regex(/^https:\/\/[A-Za-z0-9.-]+\/PushNotifications$/)
        .describe("Enable-PushNotificationProxy -Uri: the push notification service of the tenant's cloud (the cmdlet's default is the worldwide one)."),
});

export const enablePushProxyResultSchema = z.object({
    changed: z.boolean(),
    app: pushNotificationAppSchema,
});

export type EnablePushProxyParams = z.output<typeof enablePushProxyParamsSchema>;
export type EnablePushProxyResult = z.infer<typeof enablePushProxyResultSchema>;
