import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSasToken, relayResourceUri, sasTokenExpiry, verifySasToken } from '../../lib/relay/sas-token';

interface HycoHttps {
    createRelayToken(uri: string, keyName: string, key: string, expirationSeconds?: number): string;
}

// hyco-https is the reference implementation, used here as an independent second opinion only.
const hyco = createRequire(import.meta.url)('hyco-https') as HycoHttps;

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('createSasToken', () => {
    afterEach(() => {
        vi.useRealTimers();
    });

    it('produces the documented form, matching a vector computed independently', () => {
        // Prepare
        const expected =
            'SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fagent-1&sig=LFZI39KbMibnkFdoBPTDMbat32iSXXi4ttMPWPX%2Fu28%3D&se=1767607200&skn=send-rule';

        // Act
        const token = createSasToken({ resourceUri: 'http://contoso.servicebus.windows.net/agent-1', keyName: 'send-rule', key: 'key-value', ttlSeconds: 3600, now: () => NOW });

        // Assess
        expect(token).toBe(expected);
    });

    it('signs "<encoded resource>\\n<expiry>" with the key text, as the form says', () => {
        // Prepare
        const resource = 'http://fabrikam.servicebus.windows.net/hc with space';

        // Act
        const token = createSasToken({ resourceUri: resource, keyName: 'k', key: 'secret', ttlSeconds: 60, now: () => NOW + 999 });

        // Assess
        const fields = new URLSearchParams(token.slice('SharedAccessSignature '.length));
        const expiry = Math.floor(NOW / 1000) + 60;
        const encoded = encodeURIComponent(resource);
        expect(token).toContain(`sr=${encoded}&`);
        expect(fields.get('se')).toBe(String(expiry));
        expect(fields.get('skn')).toBe('k');
        expect(fields.get('sig')).toBe(createHmac('sha256', 'secret').update(`${encoded}\n${expiry}`).digest('base64'));
        expect(sasTokenExpiry(token)).toBe(expiry);
    });

    // hyco-https rewrites its input to http://<host[:port]>/<path>; these inputs name the same resource.
    it.each([
        ['the resource as the documentation writes it', 'http://contoso.servicebus.windows.net/agent-1', 'contoso.servicebus.windows.net', 'agent-1'],
        ['the sender address', 'https://contoso.servicebus.windows.net/agent-1', 'contoso.servicebus.windows.net', 'agent-1'],
        ['the listener address with $hc and query', 'wss://fabrikam.servicebus.windows.net/$hc/agent-2?sb-hc-action=listen', 'fabrikam.servicebus.windows.net', 'agent-2'],
    ])("equals hyco-https's createRelayToken for %s", (_label, hycoUri, namespace, hybridConnection) => {
        // Prepare
        vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
        const key = 'tW3nZ1s0mEkeyVALUEfromTheP0rtal+ABC/def==';

        // Act
        const reference = hyco.createRelayToken(hycoUri, 'listen-rule', key, 3600);
        const ours = createSasToken({ resourceUri: relayResourceUri(namespace, hybridConnection), keyName: 'listen-rule', key, ttlSeconds: 3600, now: () => NOW });

        // Assess
        expect(ours).toBe(reference);
    });
});

describe('verifySasToken', () => {
    const key = 'the-send-key';
    const resource = 'http://contoso.servicebus.windows.net/agent-1';
    const keyFor = (name: string): string | undefined => (name === 'send-rule' ? key : undefined);
    const tokenFor = (overrides: { resourceUri?: string; keyName?: string; key?: string; ttlSeconds?: number } = {}): string =>
        createSasToken({ resourceUri: resource, keyName: 'send-rule', key, ttlSeconds: 60, now: () => NOW, ...overrides });

    /** A token as the .NET SDK writes it: lower-case percent escapes, which the signature covers. */
    function dotNetStyleToken(): string {
        const encoded = encodeURIComponent(resource).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
        const expiry = Math.floor(NOW / 1000) + 60;
        const signature = createHmac('sha256', key).update(`${encoded}\n${expiry}`).digest('base64');
        return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=send-rule`;
    }

    it.each([
        ['a token for the hybrid connection', () => tokenFor(), resource, NOW, { valid: true }],
        ['a namespace-wide token', () => tokenFor({ resourceUri: 'http://contoso.servicebus.windows.net/' }), resource, NOW, { valid: true }],
        ['a token for a path below the request', () => tokenFor(), `${resource}/ops/inventory`, NOW, { valid: true }],
        ['a token with lower-case escapes', dotNetStyleToken, resource, NOW, { valid: true }],
        ['a token naming the port, as hyco-https writes it', () => tokenFor({ resourceUri: 'http://contoso.servicebus.windows.net:443/agent-1' }), resource, NOW, { valid: true }],
        ['a token signed with another key', () => tokenFor({ key: 'other' }), resource, NOW, { valid: false, reason: 'bad-signature' }],
        ['a token of an unknown rule', () => tokenFor({ keyName: 'nobody' }), resource, NOW, { valid: false, reason: 'unknown-key' }],
        ['an expired token', () => tokenFor(), resource, NOW + 61_000, { valid: false, reason: 'expired' }],
        ['a token for another hybrid connection', () => tokenFor({ resourceUri: 'http://contoso.servicebus.windows.net/agent-2' }), resource, NOW, { valid: false, reason: 'wrong-audience' }],
        ['a token whose path is only a string prefix', () => tokenFor({ resourceUri: 'http://contoso.servicebus.windows.net/agent' }), resource, NOW, { valid: false, reason: 'wrong-audience' }],
        ['a bearer token', () => 'Bearer abc', resource, NOW, { valid: false, reason: 'malformed' }],
        ['a token without expiry', () => 'SharedAccessSignature sr=a&sig=b&skn=c', resource, NOW, { valid: false, reason: 'malformed' }],
    ])('judges %s', (_label, token, target, now, expected) => {
        // Act
        const verdict = verifySasToken(token(), { keyFor, resource: target, now: () => now });

        // Assess
        expect(verdict).toMatchObject(expected);
    });
});
