import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { api } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';

interface SignedInCaller {
    readonly name: string;
    readonly roles: readonly string[];
}

interface ErrorBody {
    readonly error: { readonly code: string; readonly message: string };
}

/**
 * GET /api/me: who is calling, as the API reads them from the X-MS-CLIENT-PRINCIPAL headers App Service
 * authentication (here its local emulation) sets. The console asks it because App Service's /.auth/me
 * needs the token store, which infra/ leaves off.
 */
describe('GET /api/me', () => {
    let stack: LocalStack;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
    });

    afterAll(async () => {
        await stack?.stop();
    });

    const upnOf = (who: string) => stack.api.users.find((user) => user.who === who)?.upn;

    it.each([
        { caller: 'reader', roles: ['PushProxy.Reader'] },
        { caller: 'operator', roles: ['PushProxy.Operator'] },
        { caller: 'administrator', roles: ['PushProxy.Administrator'] },
        { caller: 'nobody', roles: [] },
    ] as const)('answers the $caller signed in with their name and app roles $roles', async ({ caller, roles }) => {
        // Act
        const answer = await api<SignedInCaller>(stack, 'GET', 'me', undefined, caller);

        // Assess
        expect(answer.status).toBe(200);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.body).toEqual({ name: upnOf(caller), roles });
    });

    it('answers a service principal (client credentials) with its application id and its application role', async () => {
        // Act
        const answer = await api<SignedInCaller>(stack, 'GET', 'me', undefined, 'automation');

        // Assess
        expect(answer.body).toEqual({ name: stack.api.automation.clientId, roles: ['PushProxy.Administrator'] });
    });

    it('answers 401 without a token, as JSON and as the role routes do', async () => {
        // Act
        const [me, tenants] = await Promise.all(['me', 'tenants'].map((path) => api<ErrorBody>(stack, 'GET', path, undefined, null)));

        // Assess
        expect(me?.status).toBe(401);
        expect(me?.headers.get('www-authenticate')).toBe(tenants?.headers.get('www-authenticate'));
        expect(me?.body.error.code).toBe('unauthenticated');
        expect(me?.body).toEqual(tenants?.body);
    });
});
