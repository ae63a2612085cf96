import type { Scenario } from '../../local/scenario/schema';

type ScenarioCertificate = Scenario['exchange']['certificates'][number];

/** Certificates every server of a large organization holds (the rest of its `certificatesPerServer` are its own). */
function sharedCertificates(base: Scenario, servers: readonly string[]): ScenarioCertificate[] {
    const common = { keySize: 2048, exportable: true, serversWithoutPrivateKey: [] as string[], servers: [...servers] };
    const domain = base.exchange.userDnsDomain;
    return [
        { ...common, id: 'public-san', friendlyName: 'Public SAN', subject: `mail.${base.tenant.domain}`, domains: [`mail.${base.tenant.domain}`, `autodiscover.${base.tenant.domain}`], services: ['IMAP', 'POP', 'IIS', 'SMTP'], notBefore: '2025-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z' },
        { ...common, id: 'server-auth', friendlyName: 'Microsoft Exchange Server Auth Certificate', subject: 'Microsoft Exchange Server Auth Certificate', domains: [], services: ['SMTP'], notBefore: '2024-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z' },
        // Issued for USERDNSDOMAIN and named OAuth, but expired: the summary must carry it, the choice must refuse it.
        { ...common, id: 'expired-oauth', friendlyName: 'Exchange S2S OAuth', subject: domain, domains: [domain], services: ['SMTP', 'Federation'], notBefore: '2020-01-01T00:00:00Z', notAfter: '2024-01-01T00:00:00Z' },
    ];
}

/**
 * The default scenario grown to `serverCount` Mailbox servers with `certificatesPerServer` certificates
 * each (issue 16, B5 and B7): three every server shares (a public SAN certificate, the Exchange Server
 * Auth certificate, an expired OAuth certificate for USERDNSDOMAIN) and the rest each server's own
 * self-signed ones, as Exchange setup and IIS leave them.
 */
export function largeOrganization(base: Scenario, serverCount: number, certificatesPerServer: number): Scenario {
    const template = base.exchange.servers[0];
    if (template === undefined) throw new Error('the base scenario has no server');
    const suffix = base.exchange.userDnsDomain;
    const servers = Array.from({ length: serverCount }, (_, index) => {
        const name = `EX${String(index + 1).padStart(3, '0')}`;
        return { ...template, name, fqdn: `${name.toLowerCase()}.${suffix}` };
    });
    const shared = sharedCertificates(base, servers.map((server) => server.name)).slice(0, certificatesPerServer);
    const own = servers.flatMap((server) =>
        Array.from({ length: Math.max(0, certificatesPerServer - shared.length) }, (_, index): ScenarioCertificate => ({
            id: `${server.name}-own-${index}`,
            friendlyName: index === 0 ? 'Microsoft Exchange' : `WMSVC-SHA2 ${index}`,
            subject: server.name,
            domains: [server.name, server.fqdn],
            services: index === 0 ? ['IIS', 'SMTP'] : ['None'],
            keySize: 2048,
            notBefore: '2024-01-01T00:00:00Z',
            notAfter: '2029-01-01T00:00:00Z',
            exportable: false,
            servers: [server.name],
            serversWithoutPrivateKey: [],
        })),
    );
    return { ...base, exchange: { ...base.exchange, servers, certificates: [...shared, ...own] } };
}
