import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { authServerMetadataUrl, cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import type { ReverifyTenantInput } from '../../lib/contracts/reverify';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { reverifySettings } from '../reverify-settings';
import { verifyRequestSchema } from './api-schemas';
import { readJsonBody } from './read-json-body';
import { badRequest, errorResponse, json, zodIssues } from './responses';
import { findRun, isActive, runInProgress, runUrl } from './run-view';

/** POST /api/tenants/{tenantDomain}/verify: re-checks what onboarding set, repairing when asked. */
export async function startVerification(request: HttpRequest, client: df.DurableClient, context: InvocationContext): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = verifyRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));

    const services = appServices();
    const entry = await (await services.registry()).get(domain.domain);
    if (!entry) return errorResponse(404, 'not_found', `${domain.domain} has never been onboarded: onboard it first`);
    const instanceId = tenantInstanceId(domain.domain);
    const existing = await findRun(client, instanceId);
    if (existing && isActive(existing)) {
        return runInProgress(request, existing, domain.domain);
    }
    const input: ReverifyTenantInput = {
        runId: randomUUID(),
        record: entry.record,
        authMetadataUrl: authServerMetadataUrl(cloudEndpoints(entry.record.cloud), domain.domain),
        pushNotificationUri: pushNotificationUri(cloudEndpoints(entry.record.cloud)),
        mode: parsed.data.mode ?? entry.record.reverifyMode,
        settings: reverifySettings(services.settings),
    };
    await client.startNew('reverifyTenant', { instanceId, input });
    context.log(`started reverifyTenant for ${domain.domain} in ${input.mode} mode`);
    const statusUrl = runUrl(request, instanceId);
    return json(202, { instanceId, runId: input.runId, tenantDomain: domain.domain, statusUrl }, { location: statusUrl });
}
