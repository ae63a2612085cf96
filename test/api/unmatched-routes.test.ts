import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unauthenticatedPaths } from '../../functions/http/api-routes';
import type { LocalStack } from '../../local/stack/local-stack';
import { api } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';

interface ErrorBody {
    readonly error: { readonly code: string; readonly message: string; readonly path: string; readonly remedy: string; readonly allowed?: readonly string[] };
}

describe('a path or method no route of the API takes', () => {
    let stack: LocalStack;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
    });

    afterAll(async () => {
        await stack.stop();
    });

    it.each([
        ['an unknown path', 'GET', 'nowhere/at/all'],
        ['the API root', 'GET', ''],
        ['a path one segment past a route', 'POST', 'tenants/contoso.com/onboard/now'],
    ])('answers %s with a JSON 404 naming the path and pointing to the OpenAPI document', async (_label, method, path) => {
        // Act
        const response = await api<ErrorBody>(stack, method, path);

        // Assess
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toContain('application/json');
        expect(response.body.error).toMatchObject({ code: 'route_not_found', path: `/api/${path}` });
        expect(response.body.error.remedy).toContain('/api/openapi.json');
    });

    it.each([
        ['a read-only route', 'DELETE', 'tenants', ['GET']],
        ['a route that only starts runs', 'GET', 'tenants/contoso.com/onboard', ['POST']],
        ['the console', 'POST', 'console/app.js', ['GET']],
    ])('answers a wrong method on %s with a JSON 405 and Allow', async (_label, method, path, allowed) => {
        // Act
        const response = await api<ErrorBody>(stack, method, path);

        // Assess
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe(allowed.join(', '));
        expect(response.body.error).toMatchObject({ code: 'method_not_allowed', path: `/api/${path}`, allowed });
    });

    it.each([
        ['the OpenAPI document', 'openapi.json', 200],
        ['a route with a parameter', 'tenants/contoso.com/consent', 200],
        ['the registry', 'tenants', 200],
    ])('leaves %s to its own route, which the host tries before the catch-all', async (_label, path, status) => {
        // Act
        const response = await api<Record<string, unknown>>(stack, 'GET', path);

        // Assess
        expect(response.status).toBe(status);
        expect(response.body).not.toHaveProperty('error');
    });

    it('still requires a signed-in caller, as App Service authentication does for every path it does not exclude', async () => {
        // Act
        const response = await api(stack, 'GET', 'nowhere', undefined, null);

        // Assess
        expect(response.status).toBe(401);
        expect(unauthenticatedPaths().some((path) => path.includes('{'))).toBe(false);
    });
});
