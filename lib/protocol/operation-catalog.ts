import { type z } from 'zod';
import type { OperationName } from './operation-names';
import { enablePushProxyParamsSchema, enablePushProxyResultSchema } from './operations/enable-push-proxy';
import { ensureAuthServerParamsSchema, ensureAuthServerResultSchema } from './operations/ensure-auth-server';
import { installCertificateParamsSchema, installCertificateResultSchema } from './operations/install-certificate';
import { inventoryParamsSchema, inventoryResultSchema } from './operations/inventory';
import { invokeProbeParamsSchema, invokeProbeResultSchema } from './operations/invoke-probe';
import { restartAuthServicesParamsSchema, restartAuthServicesResultSchema } from './operations/restart-auth-services';
import { restartHealthManagerParamsSchema, restartHealthManagerResultSchema } from './operations/restart-health-manager';
import { setAuthConfigParamsSchema, setAuthConfigResultSchema } from './operations/set-auth-config';

/** Each operation's parameter and result schemas: the single source for agent and cloud. */
export const OPERATION_SCHEMAS = {
    inventory: { params: inventoryParamsSchema, result: inventoryResultSchema },
    installCertificate: { params: installCertificateParamsSchema, result: installCertificateResultSchema },
    setAuthConfig: { params: setAuthConfigParamsSchema, result: setAuthConfigResultSchema },
    ensureAuthServer: { params: ensureAuthServerParamsSchema, result: ensureAuthServerResultSchema },
    enablePushProxy: { params: enablePushProxyParamsSchema, result: enablePushProxyResultSchema },
    restartHealthManager: { params: restartHealthManagerParamsSchema, result: restartHealthManagerResultSchema },
    restartAuthServices: { params: restartAuthServicesParamsSchema, result: restartAuthServicesResultSchema },
    invokeProbe: { params: invokeProbeParamsSchema, result: invokeProbeResultSchema },
} as const satisfies Record<OperationName, { params: z.ZodType; result: z.ZodType }>;

type Schemas = typeof OPERATION_SCHEMAS;

/** What a caller passes (defaults may be omitted). */
export type OperationParamsInput<N extends OperationName> = z.input<Schemas[N]['params']>;
/** Parameters after validation, defaults applied. */
export type OperationParams<N extends OperationName> = z.output<Schemas[N]['params']>;
export type OperationResult<N extends OperationName> = z.output<Schemas[N]['result']>;
