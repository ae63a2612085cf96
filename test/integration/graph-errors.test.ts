import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../lib/errors';
import { EntraKeyCredentials } from '../../lib/graph/entra-key-credentials';
import type { ResolvedKeyTarget } from '../../lib/graph/key-target';
import type { WorldOptions } from './helpers/local-world';
import { certificate, scenarioCertificateDer } from './helpers/certificates';
import { startWorld, type TestWorld } from './helpers/local-world';

type Act = (world: TestWorld) => Promise<unknown>;

const keys = (world: TestWorld): EntraKeyCredentials => new EntraKeyCredentials(world.access, { retry: world.retry });
const findTarget = (world: TestWorld): Promise<ResolvedKeyTarget> => keys(world).findKeyTarget({ kind: 'firstPartyServicePrincipal' });
const find: Act = findTarget;
const register =
    (certificateId: string, validDays = 365): Act =>
    async (world) => keys(world).registerCertificate(await findTarget(world), certificate(certificateId, validDays).derBase64);

/** A credential handing out tokens the issuer signed but that expired an hour ago. */
function expiredTokens(world: TestWorld): TokenCredential {
    return {
        getToken: (): Promise<AccessToken> => {
            const exp = Math.floor(Date.now() / 1000) - 3600;
            return Promise.resolve({ token: world.cloud.issuer.mint(world.cloud.productClient, 'https://graph.microsoft.com', { exp, nbf: exp - 3600, iat: exp - 3600 }), expiresOnTimestamp: Date.now() + 3_600_000 });
        },
    };
}

describe('Graph failures map to permanent errors with the remedy', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    it.each<[string, WorldOptions, Act, Record<string, unknown>]>([
        ['403 for a token without any Graph role', { entra: { grantedRoles: [] } }, find, { code: 'graph-forbidden' }],
        ['403 for a write with a read-only role', { entra: { grantedRoles: ['Application.Read.All'] } }, register('oauth-new'), { code: 'graph-forbidden' }],
        ['404 when Exchange Online is not licensed', { entra: { keyTargetExists: false } }, find, { code: 'graph-key-target-not-found', message: 'service principal not found: is Exchange Online licensed in this tenant?' }],
        [
            '404 when the dedicated application is not registered',
            {},
            (world) => keys(world).findKeyTarget({ kind: 'application', appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }),
            { code: 'graph-key-target-not-found', message: expect.stringContaining('application not found') as unknown },
        ],
        [
            '400 when a tenant policy caps key lifetimes below the certificate\'s',
            { entra: { maxKeyCredentialLifetimeDays: 180 } },
            register('two-years', 730),
            { code: 'graph-key-end-date-invalid', message: expect.stringContaining('Key credential end date is invalid.') as unknown, remedy: expect.stringContaining('validityMonths') as unknown },
        ],
    ])('%s', async (_case, options, act, expected) => {
        // Prepare
        world = await startWorld({ certificateDer: scenarioCertificateDer, ...options });

        // Act
        const outcome = act(world);

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(PermanentError);
        await expect(outcome).rejects.toMatchObject(expected);
        expect(world.waits).toEqual([]);
    });

    it('names Application.ReadWrite.All and the directory role of the article for 401 and 403', async () => {
        // Prepare
        world = await startWorld();
        const expired = new EntraKeyCredentials({ ...world.access, credential: expiredTokens(world) }, { retry: world.retry });

        // Act
        const unauthorized = expired.findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Assess
        await expect(unauthorized).rejects.toMatchObject({
            code: 'graph-unauthorized',
            message: expect.stringContaining('Application.ReadWrite.All') as unknown,
            remedy: expect.stringContaining('Global Administrator') as unknown,
        });
        expect(world.cloud.graph.requests.map((request) => request.status)).toEqual([401]);
    });
});

describe('Graph throttling and outages are transient and honour Retry-After', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    it.each([429, 503, 504] as const)('%i is transient once the retries are spent, carrying the Retry-After', async (status) => {
        // Prepare
        world = await startWorld({ faults: { graph: [{ status, count: 10, retryAfterSeconds: 3 }] } });

        // Act
        const outcome = find(world);

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(TransientError);
        await expect(outcome).rejects.toMatchObject({ code: 'graph-unavailable', retryAfterMs: 3000 });
        expect(world.waits).toEqual([3000, 3000, 3000]);
    });

    it('retries a throttled PATCH after the Retry-After the service asked for, then succeeds', async () => {
        // Prepare
        world = await startWorld({ faults: { graph: [{ status: 429, count: 1, retryAfterSeconds: 1, match: 'PATCH' }] } });

        // Act
        const result = await register('oauth-new')(world);

        // Assess
        expect(result).toMatchObject({ status: 'added' });
        expect(world.waits).toEqual([1000]);
        expect(world.cloud.graph.requests.filter((request) => request.method === 'PATCH').map((request) => request.status)).toEqual([429, 204]);
    });

    it('backs off exponentially when the service gives no Retry-After', async () => {
        // Prepare
        world = await startWorld({ faults: { graph: [{ status: 503, count: 2 }] } });

        // Act
        await find(world);

        // Assess
        expect(world.waits).toEqual([1000, 2000]);
    });
});
