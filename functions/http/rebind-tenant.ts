import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { requestedByOf, type Caller } from '../../lib/auth/caller';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { rebindRequestSchema } from './api-schemas';
import { readJsonBody } from './read-json-body';
import { badRequest, errorResponse, json, zodIssues } from './responses';
import { findRun, isActive, runInProgress } from './run-view';

/**
 * POST /api/tenants/{tenantDomain}/rebind: the explicit administrator action that moves a tenant to
 * another hybrid connection and Exchange organization (issue 15, finding 2). Onboarding never does
 * it implicitly. The Key Vault certificate stays tagged for the previous organization, so the next
 * onboarding makes one for the new organization instead of sending the old private key there.
 */
export async function rebindTenant(request: HttpRequest, client: df.DurableClient, context: InvocationContext, caller: Caller): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = rebindRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));

    const registry = await appServices().registry();
    const entry = await registry.get(domain.domain);
    if (!entry) return errorResponse(404, 'not_found', `${domain.domain} has never been onboarded: onboard it, which binds it`);
    const existing = await findRun(client, tenantInstanceId(domain.domain));
    if (existing && isActive(existing)) return runInProgress(request, existing, domain.domain);

    const binding = { hybridConnection: parsed.data.agent.hybridConnection, organizationGuid: parsed.data.organizationGuid.toLowerCase() };
    const requestedBy = requestedByOf(caller);
    const previous = await registry.rebind(domain.domain, binding, requestedBy);
    context.log(`re-bound ${domain.domain}`, {
        tenantDomain: domain.domain,
        hybridConnection: binding.hybridConnection,
        organizationGuid: binding.organizationGuid,
        previousHybridConnection: previous.hybridConnection,
        requestedBy: requestedBy.id,
    });
    return json(200, { tenantDomain: domain.domain, binding, previous, requestedBy });
}
