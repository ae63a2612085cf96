import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { requestedByOf, type Caller } from '../../lib/auth/caller';
import { authServerMetadataUrl, cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import type { ReverifyTenantInput } from '../../lib/contracts/reverify';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { reverifySettings } from '../reverify-settings';
import { verifyRequestSchema } from './api-schemas';
import { readJsonBody } from './read-json-body';
import { badRequest, errorResponse, zodIssues } from './responses';
import { startTenantRun } from './start-run';

/** POST /api/tenants/{tenantDomain}/verify: re-checks what onboarding set, repairing when asked. */
export async function startVerification(request: HttpRequest, client: df.DurableClient, context: InvocationContext, caller: Caller): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = verifyRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));

    const services = appServices();
    const registry = await services.registry();
    const entry = await registry.get(domain.domain);
    if (!entry) return errorResponse(404, 'not_found', `${domain.domain} has never been onboarded: onboard it first`);
    const input: ReverifyTenantInput = {
        runId: randomUUID(),
        record: entry.record,
        authMetadataUrl: authServerMetadataUrl(cloudEndpoints(entry.record.cloud), domain.domain),
        pushNotificationUri: pushNotificationUri(cloudEndpoints(entry.record.cloud)),
        mode: parsed.data.mode ?? entry.record.reverifyMode,
        settings: reverifySettings(services.settings),
        requestedBy: requestedByOf(caller),
    };
    return startTenantRun(request, client, context, registry, { tenantDomain: domain.domain, instanceId: tenantInstanceId(domain.domain), orchestration: 'reverifyTenant', input });
}
