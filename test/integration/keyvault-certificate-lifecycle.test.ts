import { afterEach, describe, expect, it } from 'vitest';
import { KeyVaultCertificateLifecycle } from '../../lib/keyvault/certificate-lifecycle';
import { certificateNameForTenant } from '../../lib/keyvault/certificate-name';
import { startWorld, type TestWorld } from './helpers/local-world';

const REQUEST = { tenantDomain: 'contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', userDnsDomain: 'corp.contoso.com' };
const NAME = certificateNameForTenant('contoso.com');

describe('Key Vault certificate lifecycle through the real SDK', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    const lifecycle = (): KeyVaultCertificateLifecycle => new KeyVaultCertificateLifecycle(world.access, world.cloud.keyVaultUrl, { retry: world.retry });
    const creations = (): number => world.cloud.keyVault.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/create') && request.status === 202).length;

    it('reports a creation as pending, then completed once the delay has passed on the world clock', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { creationDelaySeconds: 300 } } });
        const certificates = lifecycle();

        // Act
        const started = await certificates.startCreation(REQUEST);
        const stillPending = await certificates.readCreation(NAME);
        world.clock.advanceBy(301_000);
        const completed = await certificates.readCreation(NAME);

        // Assess
        expect(started).toEqual({ status: 'pending', certificateName: NAME });
        expect(stillPending).toEqual({ status: 'pending', certificateName: NAME });
        expect(completed.status).toBe('completed');
        const stored = world.cloud.keyVault.certificates()[0]?.versions[0];
        expect(completed.status === 'completed' && completed.certificate).toMatchObject({
            certificateName: NAME,
            version: stored?.version,
            thumbprint: stored?.thumbprint,
            subject: 'CN=corp.contoso.com',
            dnsNames: ['corp.contoso.com'],
            keySizeBits: 2048,
        });
    });

    it('asks Key Vault for a self-signed, exportable RSA PKCS#12 certificate named and tagged for the tenant', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { creationDelaySeconds: 60 } } });

        // Act
        await lifecycle().startCreation({ ...REQUEST, keySizeBits: 4096, validityMonths: 12 });

        // Assess
        const [certificate] = world.cloud.keyVault.certificates();
        expect(certificate?.name).toBe(NAME);
        expect(certificate?.versions[0]?.policy).toMatchObject({
            subject: 'CN=corp.contoso.com',
            dnsNames: ['corp.contoso.com'],
            keyType: 'RSA',
            keySize: 4096,
            exportable: true,
            contentType: 'application/x-pkcs12',
            validityMonths: 12,
            issuerName: 'Self',
        });
        expect(certificate?.versions[0]?.tags).toEqual({ tenantDomain: 'contoso.com', userDnsDomain: 'corp.contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', purpose: 'exchange-oauth-push-proxy', managedBy: 'push-proxy-orchestrator' });
    });

    it('finds the first creation when asked again while it is pending and after it completed', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { creationDelaySeconds: 60 } } });
        const certificates = lifecycle();
        await certificates.startCreation(REQUEST);

        // Act
        const again = await certificates.startCreation(REQUEST);
        world.clock.advanceBy(61_000);
        const afterCompletion = await certificates.startCreation(REQUEST);

        // Assess
        expect(again.status).toBe('pending');
        expect(afterCompletion.status).toBe('completed');
        expect(creations()).toBe(1);
        expect(world.cloud.keyVault.certificates()[0]?.versions).toHaveLength(1);
    });

    it('creates once when two activities start the creation at the same moment (the loser gets 409)', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { creationDelaySeconds: 60 } } });

        // Act
        const results = await Promise.all([lifecycle().startCreation(REQUEST), lifecycle().startCreation(REQUEST)]);

        // Assess
        expect(results.map((result) => result.status)).toEqual(['pending', 'pending']);
        expect(creations()).toBe(1);
    });

    it('creates a new version only when the completed one expires before the renewal date', async () => {
        // Prepare
        world = await startWorld({ faults: { keyVault: { creationDelaySeconds: 60 } } });
        const certificates = lifecycle();
        await certificates.startCreation(REQUEST);
        world.clock.advanceBy(61_000);
        const first = await certificates.readCreation(NAME);
        const notAfter = first.status === 'completed' ? Date.parse(first.certificate.notAfter) : 0;

        // Act
        const notDue = await certificates.startCreation(REQUEST, { renewIfNotAfterBefore: new Date(notAfter - 86_400_000).toISOString() });
        const due = await certificates.startCreation(REQUEST, { renewIfNotAfterBefore: new Date(notAfter + 86_400_000).toISOString() });

        // Assess
        expect(notDue.status).toBe('completed');
        expect(due.status).toBe('pending');
        expect(creations()).toBe(2);
    });

    it('never reuses a certificate made for another organization of the same tenant (issue 15, finding 2)', async () => {
        // Prepare
        world = await startWorld();
        const certificates = lifecycle();
        const madeForContoso = await certificates.startCreation(REQUEST);

        // Act: fabrikam's agent reports contoso's USERDNSDOMAIN, so only the organization tells them apart
        const forFabrikam = await certificates.startCreation({ ...REQUEST, organizationGuid: '2D7E9A41-5B6C-4D8E-9F0A-1B2C3D4E5F60' });
        const latest = await certificates.readCreation(NAME);

        // Assess
        expect(madeForContoso.status).toBe('completed');
        expect(creations()).toBe(2);
        const thumbprints = [madeForContoso, latest].map((state) => (state.status === 'completed' ? state.certificate.thumbprint : state.status));
        expect(thumbprints[0]).not.toBe(thumbprints[1]);
        expect(forFabrikam.status === 'completed' ? forFabrikam.certificate.organizationGuid : latest.status === 'completed' ? latest.certificate.organizationGuid : null).toBe('2d7e9a41-5b6c-4d8e-9f0a-1b2c3d4e5f60');
    });

    it('reads the public certificate without touching the PFX secret', async () => {
        // Prepare
        world = await startWorld();
        const certificates = lifecycle();
        await certificates.startCreation(REQUEST);

        // Act
        const state = await certificates.readCreation(NAME);
        const latest = await certificates.readPublicCertificate(NAME);

        // Assess
        expect(state.status === 'completed' && state.certificate.thumbprint).toBe(latest?.thumbprint);
        expect(Buffer.from(latest?.cerBase64 ?? '', 'base64').length).toBeGreaterThan(500);
        expect(world.cloud.keyVault.secretRequests()).toEqual([]);
    });

    it('answers absent for a tenant that never had a certificate', async () => {
        // Prepare
        world = await startWorld();

        // Act
        const state = await lifecycle().readCreation(NAME);

        // Assess
        expect(state).toEqual({ status: 'absent', certificateName: NAME });
    });
});
