import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { appServiceAuthentication, type AppServiceAuthOptions } from '../../local/host/http/app-service-auth';

const READER = { objectId: '6f1c3a52-0d4e-4b7a-9c8d-2e5f7a9b1c3d', upn: 'reader@contoso.com', displayName: 'Reader', tenantId: '11111111-2222-4333-8444-555555555555', roles: ['PushProxy.Reader'] };

/** /.auth/me's answer: the principals App Service knows for the session, or the emulation's error. */
type AuthMeAnswer = readonly { readonly user_id: string; readonly user_claims: readonly { readonly typ: string; readonly val: string }[] }[] | { readonly error: { readonly code: string } };

const servers: Server[] = [];

afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The emulation alone on a loopback port, as the local host puts it before the app. */
async function serveAuthentication(tokenStoreEnabled: boolean | undefined): Promise<string> {
    const options: AppServiceAuthOptions = {
        validateBearer: () => ({ ok: false, reason: 'is not used here' }),
        signInUsers: [READER],
        unauthenticatedClientAction: 'Return401',
        excludedPaths: [],
        ...(tokenStoreEnabled === undefined ? {} : { tokenStoreEnabled }),
    };
    const authentication = appServiceAuthentication(options);
    const server = createServer((request, response) => {
        void authentication.serve(request, response, new URL(request.url ?? '/', 'http://localhost')).then((served) => served || response.writeHead(404).end());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function signIn(base: string): Promise<string> {
    const signedIn = await fetch(`${base}/.auth/login/aad/callback`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user: READER.objectId, post_login_redirect_uri: '/' }).toString(),
    });
    return (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe("the local App Service authentication's /.auth/me", () => {
    it.each([
        { store: 'on', tokenStoreEnabled: true, expected: { status: 200, userId: READER.upn, roles: ['PushProxy.Reader'], code: null } },
        { store: 'off', tokenStoreEnabled: false, expected: { status: 404, userId: null, roles: null, code: 'token_store_disabled' } },
        { store: 'as infra/ deploys it (off)', tokenStoreEnabled: undefined, expected: { status: 404, userId: null, roles: null, code: 'token_store_disabled' } },
    ])('answers a signed-in user $expected.status with the token store $store', async ({ tokenStoreEnabled, expected }) => {
        // Prepare
        const base = await serveAuthentication(tokenStoreEnabled);
        const cookie = await signIn(base);

        // Act
        const me = await fetch(`${base}/.auth/me`, { headers: { cookie } });
        const body = (await me.json()) as AuthMeAnswer;
        const principal = 'error' in body ? undefined : body[0];

        // Assess
        expect(cookie).toMatch(/^AppServiceAuthSession=.+/);
        expect({
            status: me.status,
            userId: principal?.user_id ?? null,
            roles: principal?.user_claims.filter((claim) => claim.typ === 'roles').map((claim) => claim.val) ?? null,
            code: 'error' in body ? body.error.code : null,
        }).toEqual(expected);
    });
});
