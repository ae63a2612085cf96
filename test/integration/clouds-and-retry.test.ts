import { describe, expect, it } from 'vitest';
import { authServerMetadataUrl, CLOUD_NAMES, cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import { TransientError } from '../../lib/errors';
import { parseRetryAfter, withTransientRetry, type RetryPolicy } from '../../lib/identity/transient-retry';
import { LocalTokenIssuer } from '../../local/identity/token-issuer';

describe('the cloud table (pure)', () => {
    it("gives the article's AuthServer URL and push notification URI for the global cloud", () => {
        // Act
        const cloud = cloudEndpoints('global');

        // Assess
        expect(authServerMetadataUrl(cloud, 'Fabrikam.com')).toBe('https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=Fabrikam.com');
        expect(pushNotificationUri(cloud)).toBe('https://outlook.office365.com/PushNotifications');
    });

    it.each(CLOUD_NAMES)('says for %s which entries Microsoft documents and which are inferred', (name) => {
        // Act
        const provenance = Object.values(cloudEndpoints(name).provenance);

        // Assess
        expect(provenance).toHaveLength(5);
        for (const entry of provenance) expect(entry).toMatch(/^(documented|inferred): \S/);
    });
});

describe('retrying transient failures (pure)', () => {
    function recordingPolicy(waits: number[]): RetryPolicy {
        return { maxAttempts: 3, maxInlineWaitMs: 10_000, baseDelayMs: 500, sleep: (ms) => Promise.resolve(void waits.push(ms)) };
    }

    it.each([
        ['delta seconds', '7', 7000],
        ['an HTTP date', new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), 30_000],
        ['nothing', undefined, undefined],
        ['garbage', 'soon', undefined],
    ])('reads Retry-After given as %s', (_form, header, expected) => {
        // Act
        const ms = parseRetryAfter(header, Date.UTC(2026, 0, 1, 0, 0, 0));

        // Assess
        expect(ms).toBe(expected);
    });

    it('waits as told, then backs off exponentially, and gives up after the last attempt', async () => {
        // Prepare
        const waits: number[] = [];
        let calls = 0;
        const failing = (): Promise<never> => Promise.reject(new TransientError('busy', 'busy', calls++ === 0 ? { retryAfterMs: 4000 } : {}));

        // Act
        const outcome = withTransientRetry('graph', 'test', failing, recordingPolicy(waits));

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(TransientError);
        expect(waits).toEqual([4000, 1000]);
        expect(calls).toBe(3);
    });

    it('does not retry permanent failures', async () => {
        // Prepare
        const waits: number[] = [];
        let calls = 0;
        const failing = (): Promise<never> => {
            calls++;
            return Promise.reject(new Error('permanent'));
        };

        // Act
        const outcome = withTransientRetry('graph', 'test', failing, recordingPolicy(waits));

        // Assess
        await expect(outcome).rejects.toThrow('permanent');
        expect(calls).toBe(1);
    });
});

describe("the local issuer's tokens as a resource server checks them", () => {
    const issuer = new LocalTokenIssuer();
    const client = issuer.registerClient('6f1c3a52-1d2e-4b7a-9c3d-2e4f5a6b7c8d', ['Application.ReadWrite.All']);
    const verifier = issuer.verifier();
    const now = Date.now();

    it.each([
        ['accepts a fresh token for its audience', () => `Bearer ${issuer.mint(client, 'https://graph.microsoft.com')}`, { ok: true }],
        ['refuses a missing token', () => undefined, { ok: false, reason: 'missing' }],
        ['refuses another audience', () => `Bearer ${issuer.mint(client, 'https://vault.azure.net')}`, { ok: false, reason: 'audience' }],
        ['refuses an expired token', () => `Bearer ${issuer.mint(client, 'https://graph.microsoft.com', { exp: Math.floor(now / 1000) - 10 })}`, { ok: false, reason: 'expired' }],
        ['refuses a forged signature', () => `Bearer ${issuer.mint(client, 'https://graph.microsoft.com').slice(0, -4)}AAAA`, { ok: false, reason: 'signature' }],
        ['refuses a token of another issuer', () => `Bearer ${new LocalTokenIssuer().mint(client, 'https://graph.microsoft.com')}`, { ok: false, reason: 'signature' }],
    ])('%s', (_case, header, expected) => {
        // Act
        const check = verifier.check(header(), 'https://graph.microsoft.com', now);

        // Assess
        expect(check).toMatchObject(expected);
    });

    it('puts the consented Graph roles in Graph tokens', () => {
        // Act
        const check = verifier.check(`Bearer ${issuer.mint(client, 'https://graph.microsoft.us')}`, 'https://graph.microsoft.us', now);

        // Assess
        expect(check.ok && check.claims.roles).toEqual(['Application.ReadWrite.All']);
    });
});
