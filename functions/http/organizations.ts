import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { appServices } from '../../lib/app-services';
import { hybridConnectionNameSchema } from '../../lib/contracts/onboarding';
import { PushProxyError } from '../../lib/errors';
import { enrollRequestSchema } from './api-schemas';
import { readJsonBody } from './read-json-body';
import { badRequest, errorResponse, json, zodIssues } from './responses';

/** The agent's configuration holds its Listen key and shared secret: no cache keeps the answer. */
const NO_STORE = { 'cache-control': 'no-store' };

function failure(error: unknown): HttpResponseInit {
    if (!(error instanceof PushProxyError) || error.transient) throw error;
    const status = error.code === 'organization_exists' ? 409 : error.code === 'enrollment_not_configured' ? 501 : 502;
    return errorResponse(status, error.code, error.message, error.remedy === undefined ? {} : { remedy: error.remedy });
}

/** POST /api/organizations: enrolls an Exchange organization and returns, once, what its agent's configuration needs. */
export async function enrollOrganization(request: HttpRequest): Promise<HttpResponseInit> {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = enrollRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(zodIssues(parsed.error));
    try {
        const enrolled = await (await appServices().organizations()).enroll(parsed.data.name);
        return json(201, enrolled, NO_STORE);
    } catch (error) {
        return failure(error);
    }
}

/** DELETE /api/organizations/{name}: revokes the organization's agent (hybrid connection, Listen rule, shared secret). */
export async function removeOrganization(request: HttpRequest): Promise<HttpResponseInit> {
    const name = hybridConnectionNameSchema.safeParse(request.params.name);
    if (!name.success) return badRequest([{ field: 'name', reason: name.error.issues[0]?.message ?? 'is invalid' }]);
    try {
        const outcome = await (await appServices().organizations()).remove(name.data);
        return json(200, { organization: name.data, outcome });
    } catch (error) {
        return failure(error);
    }
}
