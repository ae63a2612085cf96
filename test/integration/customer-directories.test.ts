import { ClientAssertionCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/errors';
import { EntraKeyCredentials } from '../../lib/graph/entra-key-credentials';
import { ConsentRequiredError } from '../../lib/identity/consent-required';
import { CustomerDirectories } from '../../lib/identity/customer-directories';
import { entraScenarioSchema } from '../../local/scenario/entra-schema';
import { certificate } from './helpers/certificates';
import { startWorld, TENANT_ID, type TestWorld } from './helpers/local-world';

const PROVIDER = '0a0a0a0a-0000-4000-8000-00000000000a';
const FABRIKAM = '0b0b0b0b-0000-4000-8000-00000000000b';
const NORTHWIND = '0c0c0c0c-0000-4000-8000-00000000000c';

const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('a provider deployment reaches each customer directory as its multi-tenant application, with no secret', () => {
    let world: TestWorld;
    let directories: CustomerDirectories;
    const graphFor = (tenantId: string): EntraKeyCredentials => {
        const directory = directories.graphDirectory(tenantId);
        return new EntraKeyCredentials(world.access, { retry: world.retry, ...(directory === undefined ? {} : { directory }) });
    };

    beforeAll(async () => {
        world = await startWorld({
            domains: ['contoso.com'],
            provider: {
                tenantId: PROVIDER,
                customers: [
                    { entra: entraScenarioSchema.parse({ tenantId: FABRIKAM }), domains: ['fabrikam.com'], consented: true },
                    { entra: entraScenarioSchema.parse({ tenantId: NORTHWIND }), domains: ['northwind.example'], consented: false },
                ],
            },
        });
        directories = new CustomerDirectories(world.access);
    });
    afterAll(async () => world.close());

    it('gets a Graph token issued in the customer directory to the multi-tenant application, through the managed identity assertion', async () => {
        // Prepare
        const credential = directories.graphDirectory(FABRIKAM)?.credential;

        // Act
        const token = await credential?.getToken('https://graph.microsoft.com/.default');

        // Assess
        expect(claimsOf(token?.token ?? '')).toMatchObject({ tid: FABRIKAM, appid: world.cloud.providerApp?.clientId, roles: ['Application.ReadWrite.All'] });
        const exchange = world.cloud.issuer.tokenRequests.filter((request) => request.tenant === PROVIDER && request.scope === 'api://AzureADTokenExchange/.default');
        expect(exchange.length).toBeGreaterThan(0);
    });

    it('registers a key only in the directory named, never in another', async () => {
        // Prepare
        const added = certificate('fabrikam-oauth');

        // Act
        const graph = graphFor(FABRIKAM);
        await graph.registerCertificate(await graph.findKeyTarget({ kind: 'firstPartyServicePrincipal' }), added.derBase64);

        // Assess
        expect(world.cloud.graph.keyTargetCredentials(FABRIKAM).map((view) => view.thumbprint)).toEqual([added.thumbprint]);
        expect(world.cloud.graph.keyTargetCredentials(TENANT_ID)).toEqual([]);
    });

    it('never lets a token of one directory reach another directory\'s object', async () => {
        // Prepare
        const contosoTarget = world.cloud.graph.keyTarget(TENANT_ID);
        const graph = graphFor(FABRIKAM);
        const fabrikamTarget = await graph.findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Act
        const read = graph.readKeyCredentials({ ...fabrikamTarget, objectId: contosoTarget?.id ?? '' });
        const write = graph.registerCertificate({ ...fabrikamTarget, objectId: contosoTarget?.id ?? '' }, certificate('cross-directory').derBase64);

        // Assess
        await expect(read).rejects.toMatchObject({ code: 'graph-key-target-not-found' });
        await expect(write).rejects.toMatchObject({ code: 'graph-key-target-not-found' });
        expect(fabrikamTarget.objectId).not.toBe(contosoTarget?.id);
        expect(world.cloud.graph.keyTargetCredentials(TENANT_ID)).toEqual([]);
    });

    it('fails with the admin-consent link where the customer has not consented, before any Graph request', async () => {
        // Prepare
        const graphRequests = world.cloud.graph.requests.length;

        // Act
        const lookup = graphFor(NORTHWIND).findKeyTarget({ kind: 'firstPartyServicePrincipal' });

        // Assess
        await expect(lookup).rejects.toBeInstanceOf(ConsentRequiredError);
        await expect(lookup).rejects.toMatchObject({
            code: 'consent_required',
            consentUrl: `https://login.microsoftonline.com/${NORTHWIND}/adminconsent?client_id=${world.cloud.providerApp?.clientId}`,
        });
        expect(world.cloud.graph.requests.length).toBe(graphRequests);
        expect(world.cloud.issuer.tokenRequests.at(-1)).toMatchObject({ tenant: NORTHWIND, outcome: 'rejected' });
    });

    it.each([
        ['fabrikam.com', FABRIKAM],
        ['CONTOSO.com', TENANT_ID],
    ])('discovers the directory of %s from its OpenID configuration', async (domain, tenantId) => {
        // Act
        const discovered = await directories.discoverTenantId(domain);

        // Assess
        expect(discovered).toBe(tenantId);
    });

    it('names an unknown domain as such', async () => {
        // Act
        const discovery = directories.discoverTenantId('nobody.example');

        // Assess
        await expect(discovery).rejects.toBeInstanceOf(PermanentError);
        await expect(discovery).rejects.toMatchObject({ code: 'tenant_not_found' });
    });
});

describe('the local issuer validates the client assertion against the federated credential, as Entra ID does', () => {
    let world: TestWorld;
    beforeAll(async () => {
        world = await startWorld({ provider: { tenantId: PROVIDER } });
    });
    afterAll(async () => world.close());

    const exchangeIssuer = `https://login.microsoftonline.com/${PROVIDER}/v2.0`;
    it.each([
        ['another identity as subject', () => world.cloud.issuer.mint(world.cloud.issuer.registerClient(PROVIDER, []), 'api://AzureADTokenExchange', { iss: exchangeIssuer, ver: '2.0' }), 'AADSTS700213'],
        ['another issuer', () => world.cloud.issuer.mint(world.cloud.productClient, 'api://AzureADTokenExchange'), 'AADSTS700211'],
        ['another audience', () => world.cloud.issuer.mint(world.cloud.productClient, 'https://graph.microsoft.com', { iss: exchangeIssuer, ver: '2.0' }), 'AADSTS700212'],
        ['an expired assertion', () => world.cloud.issuer.mint(world.cloud.productClient, 'api://AzureADTokenExchange', { iss: exchangeIssuer, ver: '2.0', exp: Math.floor(Date.now() / 1000) - 60 }), 'AADSTS700024'],
    ])('refuses %s', async (_case, assertion, code) => {
        // Prepare
        const credential = new ClientAssertionCredential(TENANT_ID, world.cloud.providerApp?.clientId ?? '', () => Promise.resolve(assertion()), {
            authorityHost: 'https://login.microsoftonline.com',
            ...(world.access.agent === undefined ? {} : { agent: world.access.agent }),
        });

        // Act
        const token = credential.getToken('https://graph.microsoft.com/.default');

        // Assess
        await expect(token).rejects.toThrow(code);
    });
});
