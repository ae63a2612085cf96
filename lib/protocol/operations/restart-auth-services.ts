import { z } from 'zod';
import { isoTimeSchema, serverNameSchema } from '../common-schemas';

/**
 * What Microsoft's procedure restarts once the current Auth certificate has changed, on each server:
 * the MSExchangeServiceHost service (its AuthAdmin servicelet publishes the certificate) and the OWA and
 * ECP application pools, which keep the old certificate until recycled (learn.microsoft.com/exchange/
 * plan-and-deploy/integration-with-sharepoint-and-skype/maintain-oauth-certificate; CSS-Exchange
 * Admin/MonitorExchangeAuthCertificate/ConfigurationAction/New-ExchangeAuthCertificate.ps1, steps 4 and 5).
 */
export const AUTH_SERVICE_NAME = 'MSExchangeServiceHost';
export const AUTH_APP_POOLS = ['MSExchangeOWAAppPool', 'MSExchangeECPAppPool'] as const;

export const restartAuthServicesParamsSchema = z.strictObject({
    servers: z.array(serverNameSchema).min(1).max(200).optional().describe('Default: every Mailbox or Client Access server.'),
});

export const restartAuthServicesResultSchema = z.object({
    servers: z.array(
        z.object({
            server: z.string(),
            restarted: z.boolean().describe('MSExchangeServiceHost restarted and both application pools recycled.'),
            restartedAt: isoTimeSchema.nullable(),
            error: z.string().nullable(),
        }),
    ),
});

export type RestartAuthServicesParams = z.output<typeof restartAuthServicesParamsSchema>;
export type RestartAuthServicesResult = z.infer<typeof restartAuthServicesResultSchema>;
