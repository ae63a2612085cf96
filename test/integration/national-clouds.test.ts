import { afterEach, describe, expect, it } from 'vitest';
import type { CloudName } from '../../lib/clouds';
import { EntraKeyCredentials } from '../../lib/graph/entra-key-credentials';
import { KeyVaultCertificateLifecycle } from '../../lib/keyvault/certificate-lifecycle';
import { startWorld, type TestWorld } from './helpers/local-world';

/** Endpoints written out here, not read from lib/clouds.ts: the requests must go where each cloud lives. */
const EXPECTED: { cloud: CloudName; graphHost: string; vaultSuffix: string }[] = [
    { cloud: 'global', graphHost: 'graph.microsoft.com', vaultSuffix: 'vault.azure.net' },
    { cloud: 'usGovHigh', graphHost: 'graph.microsoft.us', vaultSuffix: 'vault.usgovcloudapi.net' },
    { cloud: 'usGovDoD', graphHost: 'dod-graph.microsoft.us', vaultSuffix: 'vault.usgovcloudapi.net' },
    { cloud: 'china', graphHost: 'microsoftgraph.chinacloudapi.cn', vaultSuffix: 'vault.azure.cn' },
];

describe('a national cloud configuration sends every request to that cloud', () => {
    let world: TestWorld;
    afterEach(async () => world.close());

    it.each(EXPECTED)('$cloud: Graph at $graphHost and Key Vault under $vaultSuffix, with tokens for those resources', async ({ cloud, graphHost, vaultSuffix }) => {
        // Prepare
        world = await startWorld({ cloud });

        // Act
        await new EntraKeyCredentials(world.access, { retry: world.retry }).findKeyTarget({ kind: 'firstPartyServicePrincipal' });
        await new KeyVaultCertificateLifecycle(world.access, world.cloud.keyVaultUrl, { retry: world.retry }).readCreation('exo-oauth-contoso-com-348b467d');

        // Assess
        const graphRequests = world.cloud.graph.requests;
        expect(graphRequests.length).toBeGreaterThan(0);
        expect(new Set(graphRequests.map((request) => `${request.host} ${request.tokenAudience ?? ''}`))).toEqual(new Set([`${graphHost} https://${graphHost}`]));
        const vaultRequests = world.cloud.keyVault.requests;
        expect(vaultRequests.every((request) => request.host.endsWith(`.${vaultSuffix}`))).toBe(true);
        expect(new Set(vaultRequests.flatMap((request) => (request.tokenAudience === undefined ? [] : [request.tokenAudience])))).toEqual(new Set([`https://${vaultSuffix}`]));
        expect(new Set(world.cloud.issuer.tokenRequests.map((request) => request.scope))).toEqual(new Set([`https://${graphHost}/.default`, `https://${vaultSuffix}/.default`]));
    });
});
