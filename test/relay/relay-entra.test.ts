import type { IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, PermanentError, type PushProxyError, TransientError } from '../../lib/errors';
import { relayTokenScope } from '../../lib/relay/relay-entra';
import { RelaySender } from '../../lib/relay/relay-sender';
import { HYBRID_CONNECTION, SEND_RULE, standInTls } from './relay-harness';

/** A credential that hands out numbered tokens and remembers the scopes it was asked for. */
class CountingCredential implements TokenCredential {
    readonly scopes: string[] = [];
    failWith: (Error & { statusCode?: number }) | undefined;

    constructor(private readonly lifetimeMs: number, private readonly now: () => number) {}

    getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
        this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
        if (this.failWith) return Promise.reject(this.failWith);
        return Promise.resolve({ token: `eyJ.entra-token-${this.scopes.length}.sig`, expiresOnTimestamp: this.now() + this.lifetimeMs });
    }
}

/**
 * A relay front end reduced to what this test looks at: it records each request's headers and
 * answers as the listener would (with Via), so the sender returns the answer.
 */
function startRecordingFrontEnd(): Promise<{ server: Server; namespace: string; seen: IncomingHttpHeaders[] }> {
    const tls = standInTls();
    const seen: IncomingHttpHeaders[] = [];
    const server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
        seen.push(request.headers);
        request.resume();
        request.on('end', () => {
            response.writeHead(200, { via: '1.1 relay', 'content-type': 'application/json' });
            response.end('{}');
        });
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => resolve({ server, namespace: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen }));
    });
}

const request = { path: '/ops/inventory', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') };

describe('relay sender with Microsoft Entra ID', () => {
    let frontEnd: Awaited<ReturnType<typeof startRecordingFrontEnd>>;

    beforeAll(async () => {
        frontEnd = await startRecordingFrontEnd();
    });

    afterAll(async () => {
        await new Promise<void>((resolve) => frontEnd.server.close(() => resolve()));
    });

    it.each([
        { namespace: 'contoso-ppo.servicebus.windows.net', scope: 'https://relay.azure.net/.default' },
        { namespace: 'contoso-ppo.servicebus.chinacloudapi.cn', scope: 'https://relay.chinacloudapi.cn/.default' },
    ])('asks for $scope for $namespace', ({ namespace, scope }) => {
        // Act
        const asked = relayTokenScope(namespace);

        // Assess
        expect(asked).toBe(scope);
    });

    it('refuses a namespace whose cloud has no documented Relay resource, pointing at SAS', () => {
        // Act
        const act = () => relayTokenScope('contoso.servicebus.example.net');

        // Assess
        expect(act).toThrow(ConfigurationError);
        expect(act).toThrow(/No documented Entra ID resource/);
    });

    it('sends the identity\'s token as is in Authorization, with no SAS token, and reuses it until it nears expiry', async () => {
        // Prepare
        let now = 1_000_000;
        const credential = new CountingCredential(60 * 60_000, () => now);
        const sender = new RelaySender({ namespace: frontEnd.namespace, entra: { credential, scope: 'https://relay.azure.net/.default' }, ca: standInTls().caPem, now: () => now });
        const before = frontEnd.seen.length;

        // Act
        await sender.send(HYBRID_CONNECTION, request);
        now += 30 * 60_000;
        await sender.send(HYBRID_CONNECTION, request);
        now += 26 * 60_000;
        await sender.send(HYBRID_CONNECTION, request);
        sender.close();

        // Assess
        const seen = frontEnd.seen.slice(before);
        expect(seen.map((h) => h.authorization)).toEqual(['eyJ.entra-token-1.sig', 'eyJ.entra-token-1.sig', 'eyJ.entra-token-2.sig']);
        expect(seen.every((h) => h.servicebusauthorization === undefined)).toBe(true);
        expect(credential.scopes).toEqual(['https://relay.azure.net/.default', 'https://relay.azure.net/.default']);
    });

    it.each([
        { failure: 'the identity provider is throttling', statusCode: 429, type: TransientError, code: 'credential-unavailable' },
        { failure: 'the identity is unknown', statusCode: 400, type: PermanentError, code: 'credential-failed' },
    ])('maps a token failure when $failure, and sends nothing', async ({ statusCode, type, code }) => {
        // Prepare
        const credential = new CountingCredential(60 * 60_000, Date.now);
        credential.failWith = Object.assign(new Error('token request failed'), { statusCode });
        const sender = new RelaySender({ namespace: frontEnd.namespace, entra: { credential, scope: 'https://relay.azure.net/.default' }, ca: standInTls().caPem });
        const before = frontEnd.seen.length;

        // Act
        const failure = await sender.send(HYBRID_CONNECTION, request).then(
            () => undefined,
            (error: unknown) => error as PushProxyError,
        );
        sender.close();

        // Assess
        expect(failure).toBeInstanceOf(type);
        expect(failure?.code).toBe(code);
        expect(frontEnd.seen.length).toBe(before);
    });

    it.each([
        { options: 'neither a Send rule nor a credential', extra: {} },
        { options: 'both a Send rule and a credential', extra: { sendRule: SEND_RULE, entra: { credential: new CountingCredential(1, Date.now) } } },
    ])('refuses to be built with $options', ({ extra }) => {
        // Act
        const act = () => new RelaySender({ namespace: 'contoso-ppo.servicebus.windows.net', ...extra });

        // Assess
        expect(act).toThrow(ConfigurationError);
    });
});
