import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { authServerMetadataUrl, cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import { onboardRequestSchema, type OnboardTenantInput } from '../../lib/contracts/onboarding';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { readJsonBody } from './read-json-body';
import { badRequest, zodIssues } from './responses';
import { startTenantRun } from './start-run';

/** POST /api/tenants/{tenantDomain}/onboard: validates everything, then starts onboardTenant. */
export async function startOnboarding(request: HttpRequest, client: df.DurableClient, context: InvocationContext): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = onboardRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));

    const request_ = parsed.data;
    const { settings } = appServices();
    const input: OnboardTenantInput = {
        runId: randomUUID(),
        tenantDomain: domain.domain,
        authMetadataUrl: authServerMetadataUrl(cloudEndpoints(request_.cloud), domain.domain),
        pushNotificationUri: pushNotificationUri(cloudEndpoints(request_.cloud)),
        ...(request_.tenantId === undefined ? {} : { tenantId: request_.tenantId }),
        cloud: request_.cloud,
        keyTarget: request_.keyTarget,
        hybridConnection: request_.agent.hybridConnection,
        certificate: request_.certificate,
        settleSeconds: request_.settleSeconds,
        probeAttempts: request_.probeAttempts,
        reverifyMode: request_.reverifyMode,
        dryRun: request_.dryRun,
        renewalWindowDays: settings.PPO_RENEWAL_WINDOW_DAYS,
    };
    const registry = await appServices().registry();
    return startTenantRun(request, client, context, registry, { tenantDomain: domain.domain, instanceId: tenantInstanceId(domain.domain), orchestration: 'onboardTenant', input });
}
