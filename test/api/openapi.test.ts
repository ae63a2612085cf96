import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE } from '../../functions/http/api-routes';
import { MAX_BODY_BYTES } from '../../functions/http/read-json-body';
import type { LocalStack } from '../../local/stack/local-stack';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';

interface OpenApiDocument {
    readonly openapi: string;
    readonly info: { readonly description: string };
    readonly paths: Record<string, Record<string, { operationId: string; security?: unknown[]; 'x-required-role'?: string; responses: Record<string, { description: string }>; requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } }>>;
}

describe('GET /api/openapi.json', () => {
    let stack: LocalStack;
    let document: OpenApiDocument;
    let status: number;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
        const response = await fetch(`${stack.baseUrl}/api/openapi.json`);
        status = response.status;
        document = (await response.json()) as OpenApiDocument;
    });

    afterAll(async () => {
        await stack.stop();
    });

    it('is served anonymously as OpenAPI 3.1', () => {
        expect(status).toBe(200);
        expect(document.openapi).toBe('3.1.0');
    });

    it('documents every registered HTTP route with its methods, and nothing else but the JSON answer of the route that takes what none of them does', () => {
        // Prepare
        const registered = stack.host.functions
            .filter((f) => f.triggerType === 'httpTrigger' && f.name !== UNMATCHED_ROUTE.name)
            .flatMap((f) => (f.methods ?? []).map((method) => `${method.toUpperCase()} /api/${(f.route ?? '').replace('{*', '{')}`))
            .sort();

        // Act
        const documented = Object.entries(document.paths)
            .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
            .sort();

        // Assess
        expect(registered.length).toBeGreaterThan(0);
        expect(documented).toEqual(registered);
        expect(document.info.description).toMatch(/404 \(`route_not_found`\).*405 \(`method_not_allowed`/);
    });

    it('names each operation after the function that serves it', () => {
        const names = new Set(stack.host.functions.map((f) => f.name));
        const operationIds = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
        expect(operationIds.every((id) => names.has(id))).toBe(true);
    });

    it('describes the onboarding body from the schema that validates it', () => {
        const schema = document.paths['/api/tenants/{tenantDomain}/onboard']?.post?.requestBody?.content['application/json'].schema;
        expect(Object.keys(schema?.properties ?? {})).toEqual(
            expect.arrayContaining(['tenantId', 'cloud', 'keyTarget', 'agent', 'certificate', 'settleSeconds', 'probeAttempts', 'dryRun']),
        );
    });

    it('marks the document itself and the console page public (they hold no data) and names the app role every other operation requires, with its 401 and 403 (GET /api/me: any signed-in caller, 401 only)', () => {
        // Prepare
        const operations = Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, o]) => ({ at: `${method} ${path}`, o })));

        // Act
        const roles = Object.fromEntries(operations.map(({ at, o }) => [at, Array.isArray(o.security) && o.security.length === 0 ? 'public' : o['x-required-role']]));

        // Assess
        expect(roles).toEqual({
            'get /api/openapi.json': 'public',
            'get /api/console/{path}': 'public',
            'get /api/me': 'AnySignedIn',
            'get /api/tenants': 'PushProxy.Reader',
            'get /api/tenants/{tenantDomain}': 'PushProxy.Reader',
            'get /api/runs/{instanceId}': 'PushProxy.Reader',
            'post /api/tenants/{tenantDomain}/onboard': 'PushProxy.Operator',
            'post /api/tenants/{tenantDomain}/verify': 'PushProxy.Operator',
            'post /api/tenants/{tenantDomain}/rebind': 'PushProxy.Administrator',
            'get /api/tenants/{tenantDomain}/consent': 'PushProxy.Reader',
            'post /api/organizations': 'PushProxy.Administrator',
            'delete /api/organizations/{name}': 'PushProxy.Administrator',
        });
        for (const { at, o } of operations.filter(({ at }) => roles[at] !== 'public')) {
            expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(roles[at] === 'AnySignedIn' ? ['401'] : ['401', '403']));
        }
        expect(Object.keys(document.paths['/api/me']?.get?.responses ?? {})).not.toContain('403');
    });

    it('documents, on every route that reads a body, the 413 with the limit the API enforces and the 415 for a body not sent as JSON', () => {
        // Prepare
        const withBody = Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, o]) => o.requestBody !== undefined).map(([method, o]) => ({ at: `${method} ${path}`, o })));

        // Assess
        expect(withBody.map((r) => r.at).sort()).toEqual(['post /api/organizations', 'post /api/tenants/{tenantDomain}/onboard', 'post /api/tenants/{tenantDomain}/rebind', 'post /api/tenants/{tenantDomain}/verify']);
        for (const { o } of withBody) {
            expect(o.responses['413']?.description).toContain(`${MAX_BODY_BYTES} bytes`);
            expect(o.responses['415']?.description).toContain('application/json');
        }
    });
});
