import { VirtualClock } from '../../../local/clock';
import { generateScenarioCertificates, type ScenarioCertificates, SimulatedExchange } from '../../../local/exchange';
import { parseScenario, type Scenario } from '../../../local/scenario/schema';
import type { EntraKeyView } from '../../../local/scenario/world-links';

export const TENANT_DOMAIN = 'contoso.com';
export const TENANT_ID = '6b1f2f7c-2d3a-4c55-9e0e-1f2a3b4c5d6e';
export const STS_URL = `https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=${TENANT_DOMAIN}`;

/** A two-server organization with one OAuth certificate on EX1 only. */
export function baseScenarioJson(): Record<string, unknown> {
    return {
        name: 'agent-tests',
        tenant: { domain: TENANT_DOMAIN },
        exchange: {
            organization: { name: 'Contoso', guid: '0b7e3c2a-93a4-4b8f-8d2e-5a1c9f3e7d11' },
            userDnsDomain: 'CORP.CONTOSO.COM',
            acceptedDomains: ['contoso.com', 'contoso.mail.onmicrosoft.com'],
            servers: [
                { name: 'EX1', fqdn: 'ex1.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox', 'ClientAccess'] },
                { name: 'EX2', fqdn: 'ex2.corp.contoso.com', adminDisplayVersion: 'Version 15.0 (Build 775.38)', roles: ['Mailbox', 'ClientAccess'] },
            ],
            certificates: [
                {
                    id: 'oauth',
                    friendlyName: 'Exchange S2S OAuth',
                    subject: 'Microsoft Exchange Server Auth Certificate',
                    domains: ['CORP.CONTOSO.COM'],
                    services: ['SMTP'],
                    notBefore: '2025-06-01T00:00:00Z',
                    notAfter: '2030-06-01T00:00:00Z',
                    servers: ['EX1'],
                },
            ],
        },
        entra: { tenantId: TENANT_ID },
        faults: {},
    };
}

export function scenarioWith(mutate: (json: Record<string, unknown> & { exchange: Record<string, unknown> }) => void): Scenario {
    const json = baseScenarioJson() as Record<string, unknown> & { exchange: Record<string, unknown> };
    mutate(json);
    return parseScenario(json);
}

/** An Entra key target that trusts exactly the certificates added to it. */
export class FakeEntraKeyView implements EntraKeyView {
    readonly trusted = new Set<string>();
    hasValidKeyCredential(certificateDerBase64: string): boolean {
        return this.trusted.has(certificateDerBase64);
    }
}

export interface TestWorld {
    readonly scenario: Scenario;
    readonly clock: VirtualClock;
    readonly entra: FakeEntraKeyView;
    readonly exchange: SimulatedExchange;
}

let sharedCertificates: { key: string; certificates: ScenarioCertificates } | undefined;

/** Certificates are generated once per distinct certificate list and file: RSA key generation is the slow part. */
function certificatesFor(scenario: Scenario): ScenarioCertificates {
    const key = JSON.stringify(scenario.exchange.certificates.map(({ id, subject, domains, keySize, notBefore, notAfter }) => [id, subject, domains, keySize, notBefore, notAfter]));
    if (sharedCertificates?.key !== key) sharedCertificates = { key, certificates: generateScenarioCertificates(scenario.exchange) };
    return sharedCertificates.certificates;
}

export function createWorld(scenario: Scenario = parseScenario(baseScenarioJson())): TestWorld {
    const clock = new VirtualClock();
    const entra = new FakeEntraKeyView();
    const exchange = SimulatedExchange.fromScenario(scenario, { clock, entra, certificates: certificatesFor(scenario) });
    return { scenario, clock, entra, exchange };
}
