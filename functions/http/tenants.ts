import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type * as df from 'durable-functions';
import { appServices } from '../../lib/app-services';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import type { RegistryEntry } from '../../lib/registry/tenant-registry';
import { badRequest, errorResponse, json } from './responses';
import { findRun, toRunView } from './run-view';

const DAY_MS = 86_400_000;

function tenantView(entry: RegistryEntry): Record<string, unknown> {
    const { settings } = appServices();
    return {
        ...entry.record,
        // Re-verification rotates the certificate once it is within the renewal window (orchestrators/reverify/assess.ts).
        rotationDueAt: new Date(Date.parse(entry.record.certificate.notAfter) - settings.PPO_RENEWAL_WINDOW_DAYS * DAY_MS).toISOString(),
        lastVerification: entry.lastRun ? { at: entry.lastRun.at, outcome: entry.lastRun.outcome, summary: entry.lastRun.summary, checks: entry.lastRun.checks ?? [] } : null,
    };
}

/** GET /api/tenants: every onboarded tenant with its last verification. */
export async function listTenants(): Promise<HttpResponseInit> {
    const entries = await (await appServices().registry()).list();
    return json(200, { tenants: entries.map(tenantView) });
}

/** GET /api/tenants/{tenantDomain}: the registry record, its verification history and the latest run. */
export async function getTenant(request: HttpRequest, client: df.DurableClient): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const [entry, run] = await Promise.all([appServices().registry().then((registry) => registry.get(domain.domain)), findRun(client, tenantInstanceId(domain.domain), true)]);
    if (!entry && !run) return errorResponse(404, 'not_found', `${domain.domain} has never been onboarded`);
    return json(200, {
        tenant: entry ? tenantView(entry) : null,
        history: entry?.history ?? [],
        latestRun: run ? toRunView(run) : null,
    });
}
