import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { checkTenantDomain } from '../../lib/contracts/tenant-domain';
import { PushProxyError } from '../../lib/errors';
import { directoryConsent } from './directory-consent';
import { badRequest, errorResponse, json } from './responses';

const tenantIdQuery = z.uuid('must be the Entra tenant id, a GUID').optional();

/** GET /api/tenants/{tenantDomain}/consent[?tenantId=]: the tenant's directory, the admin-consent link, and whether consent is there. */
export async function getTenantConsent(request: HttpRequest): Promise<HttpResponseInit> {
    const domain = checkTenantDomain(request.params.tenantDomain);
    if (!domain.ok) return badRequest([{ field: 'tenantDomain', reason: domain.reason }]);
    const tenantId = tenantIdQuery.safeParse(request.query.get('tenantId') ?? undefined);
    if (!tenantId.success) return badRequest([{ field: 'query.tenantId', reason: tenantId.error.issues[0]?.message ?? 'is invalid' }]);
    try {
        return json(200, { tenantDomain: domain.domain, ...(await directoryConsent(domain.domain, tenantId.data)) });
    } catch (error) {
        if (error instanceof PushProxyError && error.code === 'tenant_not_found') return errorResponse(404, error.code, error.message, error.remedy === undefined ? {} : { remedy: error.remedy });
        throw error;
    }
}
