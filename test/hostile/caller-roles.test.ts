import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppRole } from '../../lib/auth/app-roles';
import { MemoryLogSink } from '../../lib/logger';
import { LocalTokenIssuer } from '../../local/identity/token-issuer';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, callerHeaders, waitForRun, type ApiCaller, type RunStarted } from '../e2e/support/api';
import { startOnboardedWorld } from './support/onboarded-world';
import { forgedPrincipalHeaders } from './support/forged-principal';

interface ErrorBody {
    readonly error: { readonly code: string; readonly message: string; readonly requiredRole?: string };
}

interface Refusal {
    readonly status: number;
    readonly body: ErrorBody | null;
}

/** Every role route, with a request that the API refuses with a 400 once the role check let it through (so nothing starts). */
const ROUTES: readonly { readonly name: string; readonly method: 'GET' | 'POST'; readonly path: string; readonly body?: unknown; readonly role: AppRole; readonly allowed: number }[] = [
    { name: 'GET tenants', method: 'GET', path: 'tenants', role: 'PushProxy.Reader', allowed: 200 },
    { name: 'GET tenants/{domain}', method: 'GET', path: 'tenants/contoso.com', role: 'PushProxy.Reader', allowed: 200 },
    { name: 'GET runs/{id}', method: 'GET', path: 'runs/tenant-contoso.com', role: 'PushProxy.Reader', allowed: 200 },
    { name: 'POST onboard', method: 'POST', path: 'tenants/contoso.com/onboard', body: { agent: { hybridConnection: 'not a name' } }, role: 'PushProxy.Operator', allowed: 400 },
    { name: 'POST verify', method: 'POST', path: 'tenants/contoso.com/verify', body: { mode: 'sideways' }, role: 'PushProxy.Operator', allowed: 400 },
    { name: 'POST rebind', method: 'POST', path: 'tenants/contoso.com/rebind', body: {}, role: 'PushProxy.Administrator', allowed: 400 },
];

const CALLER_ROLE: Readonly<Record<Exclude<ApiCaller, null>, AppRole | null>> = {
    nobody: null,
    reader: 'PushProxy.Reader',
    operator: 'PushProxy.Operator',
    administrator: 'PushProxy.Administrator',
    automation: 'PushProxy.Administrator',
};

const RANK: readonly (AppRole | null)[] = [null, 'PushProxy.Reader', 'PushProxy.Operator', 'PushProxy.Administrator'];

const TABLE = ROUTES.flatMap((route) =>
    (Object.keys(CALLER_ROLE) as Exclude<ApiCaller, null>[]).map((caller) => {
        const allowed = RANK.indexOf(CALLER_ROLE[caller]) >= RANK.indexOf(route.role);
        return { ...route, caller, expected: allowed ? route.allowed : 403 };
    }),
);

async function send(stack: LocalStack, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Refusal> {
    const response = await fetch(`${stack.baseUrl}/api/${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as ErrorBody) };
}

/** An onboarded default world for the enclosing describe block: started before its tests, stopped after. */
function onboardedWorldFor(appSettings: Readonly<Record<string, string>> = {}): () => LocalStack {
    const logs = new MemoryLogSink();
    let stack: LocalStack | undefined;
    beforeAll(async () => {
        stack = await startOnboardedWorld(logs.sink, appSettings);
    });
    afterAll(async () => {
        await stack?.stop();
    });
    return () => {
        if (stack === undefined) throw new Error('the world has not started');
        return stack;
    };
}

/**
 * Issue 15, finding 7: one shared function key was the only authorization, and nobody was recorded.
 * Callers are now Entra ID identities with app roles, authenticated by App Service authentication
 * (here its local emulation, fed by the local issuer) and checked by the route wrapper.
 */
describe('callers are people and services with roles', () => {
    const world = onboardedWorldFor();
    let stack: LocalStack;

    beforeEach(() => {
        stack = world();
    });

    it.each(TABLE)('$name as $caller answers $expected', async ({ method, path, body, caller, expected, role }) => {
        // Act
        const answer = await api<ErrorBody>(stack, method, path, body, caller);

        // Assess
        expect({ status: answer.status, requiredRole: answer.body.error?.requiredRole }).toEqual({ status: expected, requiredRole: expected === 403 ? role : undefined });
    });

    it.each(ROUTES)('$name without a token answers 401 as JSON and runs nothing', async ({ method, path, body }) => {
        // Act
        const answer = await send(stack, method, path, {}, body);

        // Assess
        expect(answer.status).toBe(401);
        expect(answer.body?.error.code).toBe('unauthenticated');
    });

    it.each([
        ['no token', {}, 401],
        ["a reader's token", { reader: true }, 403],
    ] as const)('ignores an X-MS-CLIENT-PRINCIPAL claiming Administrator that the client sent with %s: the re-bind is refused and the binding stays', async (_name, with_, status) => {
        // Prepare
        const headers = { ...forgedPrincipalHeaders('PushProxy.Administrator'), ...('reader' in with_ ? callerHeaders(stack, 'reader') : {}) };
        const before = await api<{ tenant: { hybridConnection: string; organizationGuid: string | null } }>(stack, 'GET', 'tenants/contoso.com');

        // Act
        const answer = await send(stack, 'POST', 'tenants/contoso.com/rebind', headers, { agent: { hybridConnection: 'attacker-relay' }, organizationGuid: '2d7e9a41-5b6c-4d8e-9f0a-1b2c3d4e5f60' });

        // Assess
        expect(answer.status).toBe(status);
        const after = await api<{ tenant: { hybridConnection: string; organizationGuid: string | null } }>(stack, 'GET', 'tenants/contoso.com');
        expect(after.body.tenant).toMatchObject({ hybridConnection: before.body.tenant.hybridConnection, organizationGuid: before.body.tenant.organizationGuid });
    });

    it.each([
        ['an expired token', (s: LocalStack) => s.cloud.issuer.mint(s.api.automation, s.api.appIdUri, { exp: Math.floor(Date.now() / 1000) - 60 })],
        ["a token for another audience (Microsoft Graph's)", (s: LocalStack) => s.cloud.issuer.mint(s.api.automation, 'https://graph.microsoft.com')],
        ['a token naming another issuer', (s: LocalStack) => s.cloud.issuer.mint(s.api.automation, s.api.appIdUri, { iss: 'https://sts.windows.net/72f988bf-0000-4000-8000-000000000000/' })],
        ['a token signed by another issuer', (s: LocalStack) => new LocalTokenIssuer().mint(s.api.automation, s.api.appIdUri)],
        ['a token that is not a JWT', () => 'not-a-token'],
    ])('refuses %s with 401 before the app runs', async (_name, token) => {
        // Act
        const answer = await send(stack, 'GET', 'tenants', { authorization: `Bearer ${token(stack)}` });

        // Assess
        expect(answer.status).toBe(401);
        expect(answer.body?.error.code).toBe('unauthenticated');
    });

    it('records who asked on the run (input, output, run view) and never the token', async () => {
        // Prepare
        const operator = stack.api.users.find((user) => user.who === 'operator');

        // Act
        const started = await api<RunStarted>(stack, 'POST', 'tenants/contoso.com/onboard', { agent: { hybridConnection: stack.scenario.agent.hybridConnection }, dryRun: true }, 'operator');
        const run = await waitForRun(stack, started.body.instanceId);
        const view = await api<{ requestedBy: unknown }>(stack, 'GET', `runs/${started.body.instanceId}`, undefined, 'reader');

        // Assess
        const expected = { id: operator?.client.objectId, name: operator?.upn };
        expect(started.status).toBe(202);
        expect(view.body.requestedBy).toEqual(expected);
        expect(run.output).toMatchObject({ outcome: 'dryRun', requestedBy: expected });
        const stored = stack.host.store.get(started.body.instanceId);
        expect(JSON.parse(String(stored?.input))).toMatchObject({ requestedBy: expected });
        expect(JSON.stringify(stored)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    });

    it('records who re-bound a tenant in the answer and in its registry record', async () => {
        // Prepare
        const admin = stack.api.users.find((user) => user.who === 'administrator');
        const before = await api<{ tenant: { hybridConnection: string; organizationGuid: string } }>(stack, 'GET', 'tenants/contoso.com');
        const binding = { agent: { hybridConnection: before.body.tenant.hybridConnection }, organizationGuid: before.body.tenant.organizationGuid };

        // Act
        const rebound = await api<{ requestedBy: unknown }>(stack, 'POST', 'tenants/contoso.com/rebind', binding, 'administrator');
        const after = await api<{ tenant: { requestedBy: unknown } }>(stack, 'GET', 'tenants/contoso.com', undefined, 'reader');

        // Assess
        const expected = { id: admin?.client.objectId, name: admin?.upn };
        expect(rebound.status).toBe(200);
        expect(rebound.body.requestedBy).toEqual(expected);
        expect(after.body.tenant.requestedBy).toEqual(expected);
    });
});

describe('changing an onboarded tenant\'s key target is an administrator\'s action', () => {
    const hybridAppId = '5b9f6c1e-8d2a-4f3b-9c7e-1a2b3c4d5e6f';
    const world = onboardedWorldFor({ PPO_KEY_TARGET_APP_IDS: hybridAppId });
    let stack: LocalStack;

    beforeEach(() => {
        stack = world();
    });

    it('refuses an operator onboarding onto another (allowlisted) application with 403 naming PushProxy.Administrator, and starts nothing', async () => {
        // Act
        const answer = await api<ErrorBody>(stack, 'POST', 'tenants/contoso.com/onboard', { agent: { hybridConnection: stack.scenario.agent.hybridConnection }, keyTarget: { kind: 'application', appId: hybridAppId }, dryRun: true }, 'operator');

        // Assess
        expect(answer.status).toBe(403);
        expect(answer.body.error).toMatchObject({ code: 'forbidden', requiredRole: 'PushProxy.Administrator' });
        // Orchestrations only: a key writer entity (`@name@key`) stays Running between the operations it serves.
        expect([...stack.host.store.instances()].filter((instance) => instance.runtimeStatus === 'Running' && !instance.instanceId.startsWith('@'))).toEqual([]);
    });

    it('lets an administrator plan the same change', async () => {
        // Act
        const answer = await api<RunStarted>(stack, 'POST', 'tenants/contoso.com/onboard', { agent: { hybridConnection: stack.scenario.agent.hybridConnection }, keyTarget: { kind: 'application', appId: hybridAppId }, dryRun: true }, 'administrator');

        // Assess
        expect(answer.status).toBe(202);
        await waitForRun(stack, answer.body.instanceId);
    });
});

describe('a browser signs in the way App Service does it', () => {
    const world = onboardedWorldFor();
    let stack: LocalStack;

    beforeEach(() => {
        stack = world();
    });

    it('lists the local users with their roles, sets AppServiceAuthSession, answers /.auth/me with 404 (token store off, as infra/ sets it) and /api/me with the user, and the session carries the role until sign-out', async () => {
        // Prepare
        const reader = stack.api.users.find((user) => user.who === 'reader');
        const page = await (await fetch(`${stack.baseUrl}/.auth/login/aad?post_login_redirect_uri=/api/tenants`)).text();

        // Act
        const signedIn = await fetch(`${stack.baseUrl}/.auth/login/aad/callback`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ user: reader?.client.objectId ?? '', post_login_redirect_uri: '/api/tenants' }).toString(),
        });
        const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const authMe = await fetch(`${stack.baseUrl}/.auth/me`, { headers: { cookie } });
        const me = await fetch(`${stack.baseUrl}/api/me`, { headers: { cookie } });
        const read = await send(stack, 'GET', 'tenants', { cookie });
        const write = await send(stack, 'POST', 'tenants/contoso.com/verify', { cookie }, {});
        await fetch(`${stack.baseUrl}/.auth/logout`, { redirect: 'manual', headers: { cookie } });
        const afterLogout = await send(stack, 'GET', 'tenants', { cookie });

        // Assess
        expect(page).toContain(`${reader?.upn}</button> PushProxy.Reader`);
        expect(signedIn.status).toBe(302);
        expect(signedIn.headers.get('location')).toBe('/api/tenants');
        expect(cookie).toMatch(/^AppServiceAuthSession=.+/);
        expect(authMe.status).toBe(404);
        expect(((await authMe.json()) as ErrorBody).error.code).toBe('token_store_disabled');
        expect(me.status).toBe(200);
        expect(await me.json()).toEqual({ name: reader?.upn, roles: ['PushProxy.Reader'] });
        expect(read.status).toBe(200);
        expect(write).toMatchObject({ status: 403, body: { error: { requiredRole: 'PushProxy.Operator' } } });
        expect(afterLogout.status).toBe(401);
    });

    it('redirects only within the site after sign-in', async () => {
        // Act
        const signedIn = await fetch(`${stack.baseUrl}/.auth/login/aad/callback`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ user: stack.api.users[0]?.client.objectId ?? '', post_login_redirect_uri: 'https://attacker.example/steal' }).toString(),
        });

        // Assess
        expect(signedIn.headers.get('location')).toBe('/');
    });
});
