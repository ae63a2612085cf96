import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type * as df from 'durable-functions';
import { badRequest, errorResponse, json } from './responses';
import { findRun, toRunView } from './run-view';

const INSTANCE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** GET /api/runs/{instanceId}: runtime status, step table, output or structured error. */
export async function getRun(request: HttpRequest, client: df.DurableClient): Promise<HttpResponseInit> {
    const instanceId = request.params.instanceId ?? '';
    if (!INSTANCE_ID.test(instanceId)) return badRequest([{ field: 'instanceId', reason: 'must be 1 to 100 letters, digits, ".", "_", ":" or "-"' }]);
    const status = await findRun(client, instanceId);
    if (!status) return errorResponse(404, 'not_found', `no run ${instanceId}`);
    return json(200, toRunView(status));
}
