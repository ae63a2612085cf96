import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type * as df from 'durable-functions';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';
import { badRequest, errorResponse, json } from './responses';
import { findRun, toRunView } from './run-view';

const INSTANCE_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const TENANT_RUN = /^tenant-(.+)$/i;

/**
 * A tenant's run id with its domain normalised as the tenant routes do (case, IDN, trailing dot):
 * `tenant-CONTOSO.COM` and `tenant-bücher.example` name the runs of contoso.com and xn--bcher-kva.example.
 */
export function normaliseInstanceId(instanceId: string): string {
    const tenant = TENANT_RUN.exec(instanceId)?.[1];
    if (tenant === undefined) return instanceId;
    const domain = checkTenantDomain(tenant);
    return domain.ok ? tenantInstanceId(domain.domain) : instanceId;
}

/** GET /api/runs/{instanceId}: runtime status, step table, output or structured error. */
export async function getRun(request: HttpRequest, client: df.DurableClient): Promise<HttpResponseInit> {
    const instanceId = normaliseInstanceId(request.params.instanceId ?? '');
    if (!INSTANCE_ID.test(instanceId)) return badRequest([{ field: 'instanceId', reason: 'must be 1 to 100 letters, digits, ".", "_", ":" or "-"' }]);
    const status = await findRun(client, instanceId, true);
    if (!status) return errorResponse(404, 'not_found', `no run ${instanceId}`);
    return json(200, toRunView(status));
}
