import { afterEach, describe, expect, it } from 'vitest';
import { EntraKeyCredentials } from '../../lib/graph/entra-key-credentials';
import { KeyCredentialsLostError } from '../../lib/graph/key-credentials-lost-error';
import { certificate, scenarioCertificateDer } from './helpers/certificates';
import { startWorld, type TestWorld } from './helpers/local-world';

const EXCHANGE_AUTH = '3f0c6a52-8d1e-4b7a-9c3d-111111111111';
const FEDERATION = '3f0c6a52-8d1e-4b7a-9c3d-222222222222';
const PRE_EXISTING = [
    { keyId: EXCHANGE_AUTH, displayName: 'CN=Microsoft Exchange Server Auth Certificate', certificate: 'exchange-auth' },
    { keyId: FEDERATION, displayName: 'CN=Federation', certificate: 'federation' },
];

describe('the verify-after-write guard', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    const keys = (): EntraKeyCredentials => new EntraKeyCredentials(world.access, { retry: world.retry });

    it('fails loudly, naming the keyId, when Graph loses a credential during the registration', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        world.cloud.graph.dropOnNextPatch(FEDERATION);

        // Act
        const outcome = keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(KeyCredentialsLostError);
        await expect(outcome).rejects.toMatchObject({
            code: 'graph-key-credentials-lost',
            transient: false,
            lostKeyIds: [FEDERATION],
            lostThumbprints: [certificate('federation').thumbprint],
            message: expect.stringContaining(FEDERATION) as unknown,
        });
    });

    it('fires for a loss scripted in the scenario file too', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer, faults: { graphSilentDrops: [EXCHANGE_AUTH] } });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Act
        const outcome = keys().registerCertificate(target, certificate('oauth-new').derBase64);

        // Assess
        await expect(outcome).rejects.toMatchObject({ lostKeyIds: [EXCHANGE_AUTH] });
    });

    it('guards removals: losing another credential while removing one fails loudly', async () => {
        // Prepare
        world = await startWorld({ entra: { keyCredentials: PRE_EXISTING }, certificateDer: scenarioCertificateDer });
        const target = await keys().findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        const added = await keys().registerCertificate(target, certificate('oauth-new').derBase64);
        // The registration re-created the kept credentials under new keyIds: find this one by its certificate.
        const exchangeAuth = world.cloud.graph.keyTargetCredentials().find((credential) => credential.thumbprint === certificate('exchange-auth').thumbprint)?.keyId ?? '';
        world.cloud.graph.dropOnNextPatch(exchangeAuth);

        // Act
        const outcome = keys().removeCredential(target, added.keyId);

        // Assess
        await expect(outcome).rejects.toMatchObject({ code: 'graph-key-credentials-lost', lostKeyIds: [exchangeAuth], lostThumbprints: [certificate('exchange-auth').thumbprint] });
    });
});
