import { z } from 'zod';
import { domainNameSchema } from '../common-schemas';
import { pushNotificationAppSchema } from './inventory';

export const enablePushProxyParamsSchema = z.strictObject({
    organization: domainNameSchema.describe('Enable-PushNotificationProxy -Organization: the tenant domain.'),
});

export const enablePushProxyResultSchema = z.object({
    changed: z.boolean(),
    app: pushNotificationAppSchema,
});

export type EnablePushProxyParams = z.output<typeof enablePushProxyParamsSchema>;
export type EnablePushProxyResult = z.infer<typeof enablePushProxyResultSchema>;
