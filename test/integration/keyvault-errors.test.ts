import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../lib/errors';
import { KeyVaultCertificateLifecycle } from '../../lib/keyvault/certificate-lifecycle';
import { KeyVaultPfxExporter } from '../../lib/keyvault/pfx-export';
import type { KeyVaultRole } from '../../local/scenario/faults-schema';
import { startWorld, type TestWorld } from './helpers/local-world';

const REQUEST = { tenantDomain: 'contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', userDnsDomain: 'corp.contoso.com' };

describe('Key Vault failures map to permanent or transient errors', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    const lifecycle = (): KeyVaultCertificateLifecycle => new KeyVaultCertificateLifecycle(world.access, world.cloud.keyVaultUrl, { retry: world.retry });

    async function exportPfx(): Promise<unknown> {
        const state = await lifecycle().startCreation(REQUEST);
        if (state.status !== 'completed') throw new Error('creation did not complete');
        return new KeyVaultPfxExporter(world.access, world.cloud.keyVaultUrl, { retry: world.retry }).exportForAgent(state.certificateName, state.certificate.version, state.certificate.thumbprint);
    }

    it.each<[string, KeyVaultRole, () => Promise<unknown>]>([
        ['creating the certificate', 'Key Vault Certificates Officer', () => lifecycle().startCreation(REQUEST)],
        ['reading the PFX secret', 'Key Vault Secrets User', exportPfx],
    ])('403 while %s is permanent and names the missing role %s', async (_action, role, act) => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { missingRoles: [role] } } });

        // Act
        const outcome = act();

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(PermanentError);
        await expect(outcome).rejects.toMatchObject({ code: 'keyvault-forbidden', message: expect.stringContaining(`"${role}"`) as unknown, remedy: expect.stringContaining(role) as unknown });
        expect(world.waits).toEqual([]);
    });

    it.each([429, 500, 503, 504] as const)('%i is transient once the retries are spent, with the service\'s Retry-After', async (status) => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { errors: [{ status, count: 10, retryAfterSeconds: 2 }] } } });

        // Act
        const outcome = lifecycle().readCreation('exo-oauth-contoso-com-348b467d');

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(TransientError);
        await expect(outcome).rejects.toMatchObject({ code: 'keyvault-unavailable', retryAfterMs: 2000 });
        expect(world.waits).toEqual([2000, 2000, 2000]);
    });

    it('retries a throttled call after the Retry-After the service asked for, then succeeds', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { errors: [{ status: 429, count: 1, retryAfterSeconds: 1, match: 'POST' }] } } });

        // Act
        const state = await lifecycle().startCreation(REQUEST);

        // Assess
        expect(state.status).toBe('completed');
        expect(world.waits).toEqual([1000]);
        const creates = world.cloud.keyVault.requests.filter((request) => request.method === 'POST').map((request) => request.status);
        expect(creates).toEqual([429, 202]);
    });

    it('hands a throttle longer than an activity should wait to the durable retry policy at once', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { errors: [{ status: 429, count: 1, retryAfterSeconds: 120 }] } } });

        // Act
        const outcome = lifecycle().readCreation('exo-oauth-contoso-com-348b467d');

        // Assess
        await expect(outcome).rejects.toMatchObject({ transient: true, retryAfterMs: 120_000 });
        expect(world.waits).toEqual([]);
    });
});
