import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/errors';
import { EntraKeyCredentials } from '../../lib/graph/entra-key-credentials';
import { certificate, scenarioCertificateDer } from './helpers/certificates';
import { startWorld, type TestWorld } from './helpers/local-world';

const EXCHANGE_AUTH = '3f0c6a52-8d1e-4b7a-9c3d-111111111111';
const FEDERATION = '3f0c6a52-8d1e-4b7a-9c3d-222222222222';
const SERVICE = '3f0c6a52-8d1e-4b7a-9c3d-333333333333';
const HYBRID_APP_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const EXCHANGE_AUTH_CREDENTIAL = { keyId: EXCHANGE_AUTH, displayName: 'CN=Microsoft Exchange Server Auth Certificate', certificate: 'exchange-auth' };

/** Three credentials already on the target. */
const PRE_EXISTING = [
    EXCHANGE_AUTH_CREDENTIAL,
    { keyId: FEDERATION, displayName: 'CN=Federation', certificate: 'federation' },
    { keyId: SERVICE, displayName: 'CN=Added by a Microsoft service', certificate: 'service' },
];

/** What identifies a credential across writes (Graph re-assigns keyIds): its certificate and usage. */
const identities = (views: readonly { thumbprint: string; usage: string }[]): string[] => views.map((view) => `${view.usage}:${view.thumbprint}`).sort();

describe('registering the certificate on the key target keeps every existing credential', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    const keys = (): EntraKeyCredentials => new EntraKeyCredentials(world.access, { retry: world.retry });

    it('adds the new key and keeps the certificates of the three credentials that were there', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const before = world.cloud.graph.keyTargetCredentials();
        const added = certificate('oauth-new');

        // Act
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const result = await keys().registerCertificate(target, added.derBase64);

        // Assess
        const after = world.cloud.graph.keyTargetCredentials();
        expect(result).toMatchObject({ status: 'added', thumbprint: added.thumbprint });
        expect(after).toHaveLength(4);
        expect(identities(after.filter((credential) => credential.keyId !== result.keyId))).toEqual(identities(before));
        expect([...result.keptKeyIds].sort()).toEqual(after.filter((credential) => credential.keyId !== result.keyId).map((credential) => credential.keyId).sort());
        expect(after.find((credential) => credential.keyId === result.keyId)).toMatchObject({
            thumbprint: added.thumbprint,
            usage: 'Verify',
            customKeyIdentifier: added.thumbprint,
            displayName: 'push-proxy-orchestrator: CN=oauth-new',
            startDateTime: added.notBefore.toISOString().replace('.000Z', 'Z'),
            endDateTime: added.notAfter.toISOString().replace('.000Z', 'Z'),
        });
    });

    it('sends each existing credential back with its key, type and usage only, as Microsoft\'s script for this service principal does', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });

        // Act
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        await keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Assess
        const [patch] = world.cloud.graph.patchBodies() as { keyCredentials: Record<string, unknown>[] }[];
        expect(patch?.keyCredentials.slice(0, 3)).toEqual(['exchange-auth', 'federation', 'service'].map((id) => ({ key: certificate(id).derBase64, type: 'AsymmetricX509Cert', usage: 'Verify' })));
        expect(patch?.keyCredentials[3]).toMatchObject({ key: certificate('oauth-new').derBase64, customKeyIdentifier: certificate('oauth-new').thumbprint });
    });

    it('changes nothing the second time: the thumbprint is already registered', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const first = await keys().registerCertificate(target, certificate('oauth-new').derBase64);
        const afterFirst = world.cloud.graph.keyTargetCredentials();

        // Act
        const second = await keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Assess
        expect(second).toMatchObject({ status: 'alreadyPresent', keyId: first.keyId });
        expect(world.cloud.graph.patchBodies()).toHaveLength(1);
        expect(world.cloud.graph.keyTargetCredentials()).toEqual(afterFirst);
    });

    it('writes to the dedicated hybrid application when that is the key target', async () => {
        // Prepare
        world = await startWorld({ entra: { keyTarget: { kind: 'application', appId: HYBRID_APP_ID }, keyCredentials: [EXCHANGE_AUTH_CREDENTIAL] }, certificateDer: scenarioCertificateDer });

        // Act
        const target = await keys().findKeyTarget({ kind: 'application', appId: HYBRID_APP_ID });
        await keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Assess
        expect(target).toMatchObject({ kind: 'application', collection: 'applications', appId: HYBRID_APP_ID });
        expect(world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint)).toEqual([certificate('exchange-auth').thumbprint, certificate('oauth-new').thumbprint]);
        expect(world.cloud.graph.requests.filter((request) => request.method === 'PATCH').map((request) => request.path)).toEqual([`/v1.0/applications/${target.objectId}`]);
    });

    it('tells the simulated Exchange probe that the key target trusts the certificate only within its validity', async () => {
        // Prepare
        world = await startWorld({ certificateDer: scenarioCertificateDer });
        const added = certificate('oauth-new');
        const during = added.notBefore.getTime() + 86_400_000;
        const trustedBefore = world.cloud.graph.hasValidKeyCredential(added.derBase64, during);

        // Act
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        await keys().registerCertificate(target, added.derBase64);

        // Assess
        expect(trustedBefore).toBe(false);
        expect(world.cloud.graph.hasValidKeyCredential(added.derBase64, during)).toBe(true);
        expect(world.cloud.graph.hasValidKeyCredential(added.derBase64, added.notAfter.getTime() + 1000)).toBe(false);
        expect(world.cloud.graph.hasValidKeyCredential(certificate('federation').derBase64, during)).toBe(false);
    });
});

describe('removing a key credential by keyId', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    const keys = (): EntraKeyCredentials => new EntraKeyCredentials(world.access, { retry: world.retry });

    it('removes a credential this product added and keeps all the others', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const added = await keys().registerCertificate(target, certificate('oauth-new').derBase64);
        const others = world.cloud.graph.keyTargetCredentials().filter((credential) => credential.keyId !== added.keyId);

        // Act
        const result = await keys().removeCredential(target, added.keyId);

        // Assess
        expect(result).toMatchObject({ status: 'removed', keyId: added.keyId });
        expect(identities(world.cloud.graph.keyTargetCredentials())).toEqual(identities(others));
    });

    it('refuses to remove a credential it did not add, and writes nothing', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Act
        const outcome = keys().removeCredential(target, FEDERATION, { allowForeignExpired: true });

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(PermanentError);
        await expect(outcome).rejects.toMatchObject({ code: 'graph-credential-not-ours' });
        expect(world.cloud.graph.patchBodies()).toEqual([]);
    });

    it('removes an expired foreign credential only when the caller explicitly asks', async () => {
        // Prepare
        const expired = { keyId: FEDERATION, displayName: 'CN=Old federation', certificate: 'expired' };
        world = await startWorld({ entra: { keyCredentials: [EXCHANGE_AUTH_CREDENTIAL, expired] }, certificateDer: (id) => (id === 'expired' ? certificate('expired', 10).derBase64 : scenarioCertificateDer(id)) });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const now = Date.UTC(2026, 0, 5, 9, 0, 0);

        // Act
        const notAsked = await keys()
            .removeCredential(target, FEDERATION, { nowMs: now })
            .catch((error: unknown) => error);
        const asked = await keys().removeCredential(target, FEDERATION, { allowForeignExpired: true, nowMs: now });

        // Assess
        expect(notAsked).toMatchObject({ code: 'graph-credential-not-ours' });
        expect(asked.status).toBe('removed');
        expect(world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint)).toEqual([certificate('exchange-auth').thumbprint]);
    });

    it('answers absent for a keyId that is not there, without writing', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Act
        const result = await keys().removeCredential(target, '3f0c6a52-8d1e-4b7a-9c3d-999999999999');

        // Assess
        expect(result.status).toBe('absent');
        expect(world.cloud.graph.patchBodies()).toEqual([]);
    });

    it('removes by thumbprint a key whose keyId a later write re-assigned, when the caller says it is the product\'s', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const old = await keys().registerCertificate(target, certificate('oauth-old').derBase64);
        await keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Act
        const result = await keys().removeCredential(target, old.keyId, { thumbprint: old.thumbprint, owned: true });

        // Assess
        expect(result.status).toBe('removed');
        expect(world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint)).not.toContain(old.thumbprint);
        expect(world.cloud.graph.keyTargetCredentials().map((credential) => credential.thumbprint)).toContain(certificate('oauth-new').thumbprint);
        expect(world.cloud.graph.keyTargetCredentials()).toHaveLength(4);
    });
});
