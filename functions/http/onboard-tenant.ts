import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { holdsRole } from '../../lib/auth/app-roles';
import { requestedByOf, type Caller } from '../../lib/auth/caller';
import { authServerMetadataUrl, cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import type { KeyTarget } from '../../lib/contracts/clouds';
import { keyTargetRefusal } from '../../lib/contracts/key-target-allowlist';
import { onboardRequestSchema, type OnboardTenantInput } from '../../lib/contracts/onboarding';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { readJsonBody } from './read-json-body';
import { badRequest, errorResponse, zodIssues } from './responses';
import { startTenantRun } from './start-run';

/** Changing an onboarded tenant's key target moves its OAuth key to another application: an administrator's decision, as a re-bind is. */
const KEY_TARGET_CHANGE_ROLE = 'PushProxy.Administrator';

function sameKeyTarget(a: KeyTarget, b: KeyTarget): boolean {
    return a.kind === b.kind && (a.kind !== 'application' || b.kind !== 'application' || a.appId.toLowerCase() === b.appId.toLowerCase());
}

function describeKeyTarget(target: KeyTarget): string {
    return target.kind === 'application' ? `application ${target.appId}` : 'the first-party service principal';
}

/** POST /api/tenants/{tenantDomain}/onboard: validates everything, then starts onboardTenant. */
export async function startOnboarding(request: HttpRequest, client: df.DurableClient, context: InvocationContext, caller: Caller): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = onboardRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));
    const { settings } = appServices();
    const refusedTarget = keyTargetRefusal(parsed.data.keyTarget, settings.PPO_KEY_TARGET_APP_IDS);
    if (refusedTarget !== null) return badRequest([{ field: refusedTarget.field, reason: refusedTarget.reason }], refusedTarget.remedy);

    const registry = await appServices().registry();
    const bound = await registry.get(domain.domain);
    if (bound && bound.record.hybridConnection.toLowerCase() !== parsed.data.agent.hybridConnection.toLowerCase()) {
        return errorResponse(409, 'tenant_bound', `${domain.domain} is bound to the hybrid connection ${bound.record.hybridConnection}, not ${parsed.data.agent.hybridConnection}. Nothing was started.`, {
            issues: [{ field: 'body.agent.hybridConnection', reason: `must be ${bound.record.hybridConnection}, the connection the tenant is bound to` }],
            remedy: `Onboard with ${bound.record.hybridConnection}. If the tenant really moved to another Exchange organization, an administrator re-binds it first: POST /api/tenants/${domain.domain}/rebind.`,
        });
    }
    if (bound && !sameKeyTarget(bound.record.keyTarget, parsed.data.keyTarget) && !holdsRole(caller.roles, KEY_TARGET_CHANGE_ROLE)) {
        return errorResponse(403, 'forbidden', `${domain.domain} has the key target ${describeKeyTarget(bound.record.keyTarget)}; changing it to ${describeKeyTarget(parsed.data.keyTarget)} requires the app role ${KEY_TARGET_CHANGE_ROLE}. Nothing was started.`, {
            requiredRole: KEY_TARGET_CHANGE_ROLE,
            remedy: `Onboard with the tenant's key target, or ask an administrator (${KEY_TARGET_CHANGE_ROLE}) to change it.`,
        });
    }
    const request_ = parsed.data;
    const input: OnboardTenantInput = {
        runId: randomUUID(),
        tenantDomain: domain.domain,
        authMetadataUrl: authServerMetadataUrl(cloudEndpoints(request_.cloud), domain.domain),
        pushNotificationUri: pushNotificationUri(cloudEndpoints(request_.cloud)),
        ...(request_.tenantId === undefined ? {} : { tenantId: request_.tenantId }),
        cloud: request_.cloud,
        keyTarget: request_.keyTarget,
        hybridConnection: request_.agent.hybridConnection,
        ...(bound?.record.organizationGuid ? { boundOrganizationGuid: bound.record.organizationGuid } : {}),
        certificate: request_.certificate,
        settleSeconds: request_.settleSeconds,
        probeAttempts: request_.probeAttempts,
        reverifyMode: request_.reverifyMode,
        dryRun: request_.dryRun,
        renewalWindowDays: settings.PPO_RENEWAL_WINDOW_DAYS,
        requestedBy: requestedByOf(caller),
    };
    return startTenantRun(request, client, context, registry, { tenantDomain: domain.domain, instanceId: tenantInstanceId(domain.domain), orchestration: 'onboardTenant', input });
}
