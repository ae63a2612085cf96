import { describe, expect, it } from 'vitest';
import type { AuthServerView, InventoryView } from '../../lib/contracts/inventory';
import { hybridApplicationIds, hybridApplicationRemedy } from '../../orchestrators/reverify/hybrid-application';

const APP_ID = '5c0b1a2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const TENANT_ID = '6b1f2f7c-2d3a-4c55-9e0e-1f2a3b4c5d6e';

function withAuthServers(authServers: readonly AuthServerView[]): InventoryView {
    return { organization: { name: 'Contoso', guid: 'g' }, servers: [], userDnsDomain: 'corp.contoso.com', acceptedDomains: [], authConfig: { currentThumbprint: null }, certificates: [], authServers };
}

const evoSts = (overrides: Partial<AuthServerView> = {}): AuthServerView => ({
    name: `EvoSts - ${TENANT_ID}`,
    authMetadataUrl: 'https://login.windows.net/contoso.com/federationmetadata/2007-06/federationmetadata.xml',
    enabled: true,
    type: 'AzureAD',
    applicationIdentifier: APP_ID,
    ...overrides,
});

describe('the dedicated Exchange hybrid application an organization trusts its Auth certificate through', () => {
    it.each([
        ['an EvoSts AuthServer naming it', [evoSts()], [APP_ID]],
        ['the older EvoSTS name', [evoSts({ name: 'EvoSTS', applicationIdentifier: APP_ID.toUpperCase() })], [APP_ID]],
        ['an EvoSts AuthServer naming the first-party application', [evoSts({ applicationIdentifier: '00000002-0000-0ff1-ce00-000000000000' })], []],
        ['an EvoSts AuthServer without an application', [evoSts({ applicationIdentifier: null })], []],
        ['a disabled EvoSts AuthServer', [evoSts({ enabled: false })], []],
        ['a MicrosoftACS AuthServer', [evoSts({ name: 'MicrosoftSts', type: 'MicrosoftACS' })], []],
    ])('is found from %s', (_case, authServers, expected) => {
        // Act
        const ids = hybridApplicationIds(withAuthServers(authServers));

        // Assess
        expect(ids).toEqual(expected);
    });

    it('tells the administrator the CSS-Exchange command that gives it the new certificate', () => {
        // Act
        const remedy = hybridApplicationRemedy(APP_ID, 'AB'.repeat(20));

        // Assess
        expect(remedy).toContain(`.\\ConfigureExchangeHybridApplication.ps1 -UpdateCertificate -CertificateMethod Thumbprint -CertificateInformation ${'AB'.repeat(20)}`);
    });
});
