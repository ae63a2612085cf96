import { describe, expect, it } from 'vitest';
import { certificateRejections, chooseCertificate } from '../../orchestrators/onboarding/certificate-choice';
import { isAtLeastMinimumBuild } from '../../orchestrators/onboarding/exchange-build';
import { preflightProblems, probeServer } from '../../orchestrators/onboarding/preflight';
import type { CertificateView, HeldCertificateView, InventoryView } from '../../lib/contracts/inventory';

const NOW = Date.parse('2026-01-05T09:00:00Z');

/** A certificate as one server's store has it. */
interface StoredCertificate extends CertificateView {
    readonly hasPrivateKey: boolean;
    readonly exportable: boolean;
    readonly keyStorage?: 'csp' | 'cng';
}

function certificate(overrides: Partial<StoredCertificate> = {}): StoredCertificate {
    return {
        thumbprint: 'AAAA',
        friendlyName: 'Exchange S2S OAuth',
        domains: ['corp.contoso.com'],
        services: ['Federation'],
        keySize: 2048,
        notBefore: '2025-01-01T00:00:00Z',
        notAfter: '2028-01-01T00:00:00Z',
        hasPrivateKey: true,
        exportable: true,
        derBase64: 'MIIB',
        ...overrides,
    };
}

/** Each server's store, listed as the inventory summary lists it: each certificate once, with its holders. */
function held(stores: readonly { server: string; certificates: readonly StoredCertificate[] }[]): HeldCertificateView[] {
    const listed = new Map<string, HeldCertificateView & { withKey: string[]; exportableOn: string[]; cngKeyOn?: string[] }>();
    for (const { server, certificates } of stores) {
        for (const { hasPrivateKey, exportable, keyStorage, ...facts } of certificates) {
            const entry = listed.get(facts.thumbprint) ?? { ...facts, withKey: [], exportableOn: [] };
            if (hasPrivateKey && keyStorage === 'cng') entry.cngKeyOn = [...(entry.cngKeyOn ?? []), server];
            else if (hasPrivateKey) entry.withKey.push(server);
            if (hasPrivateKey && keyStorage !== 'cng' && exportable) entry.exportableOn.push(server);
            listed.set(facts.thumbprint, entry);
        }
    }
    return [...listed.values()];
}

function inventory(overrides: Partial<InventoryView> = {}): InventoryView {
    return {
        organization: { name: 'Contoso', guid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
        servers: [
            { name: 'EX1', fqdn: 'ex1.corp.contoso.com', roles: ['Mailbox', 'ClientAccess'], build: '15.0.1497.2', reachable: true },
            { name: 'EX2', fqdn: 'ex2.corp.contoso.com', roles: ['Mailbox', 'ClientAccess'], build: '15.0.1497.2', reachable: true },
        ],
        userDnsDomain: 'corp.contoso.com',
        acceptedDomains: ['contoso.com'],
        authConfig: { currentThumbprint: null },
        certificates: [],
        ...overrides,
    };
}

describe('isAtLeastMinimumBuild', () => {
    it.each([
        ['15.0.775.38', true],
        ['15.0.775.37', false],
        ['15.0.712.24', false],
        ['15.0.1497.2', true],
        ['15.1.2507.6', true],
        ['Version 15.0 (Build 775.38)', true],
        ['not a build', false],
    ])('%s -> %s', (build, expected) => {
        expect(isAtLeastMinimumBuild(build)).toBe(expected);
    });
});

describe('preflightProblems', () => {
    it('passes a healthy CU23 organization', () => {
        expect(preflightProblems(inventory(), 'contoso.com')).toEqual([]);
    });

    it('names each server below CU3 with its build', () => {
        // Prepare
        const org = inventory({
            servers: [
                { name: 'EX1', fqdn: 'ex1', roles: ['Mailbox'], build: '15.0.712.24', reachable: true },
                { name: 'EX2', fqdn: 'ex2', roles: ['Mailbox'], build: '15.0.620.29', reachable: true },
            ],
        });

        // Act
        const problems = preflightProblems(org, 'contoso.com');

        // Assess
        expect(problems).toHaveLength(2);
        expect(problems[0]).toContain('EX1 runs Exchange build 15.0.712.24');
        expect(problems[1]).toContain('EX2 runs Exchange build 15.0.620.29');
    });

    it.each([
        ['no Mailbox server', inventory({ servers: [{ name: 'EDGE', fqdn: 'e', roles: ['Edge'], build: '15.0.1497.2', reachable: true }] }), 'contoso.com', 'no Mailbox server'],
        ['an unreachable server', inventory({ servers: [{ name: 'EX1', fqdn: 'ex1', roles: ['Mailbox'], build: '15.0.1497.2', reachable: false }] }), 'contoso.com', 'cannot be reached'],
    ])('fails for %s', (_label, org, domain, text) => {
        expect(preflightProblems(org, domain).join('\n')).toContain(text);
    });

    it('passes a tenant domain that is not an accepted domain on premises, as the article allows', () => {
        expect(preflightProblems(inventory(), 'contoso.onmicrosoft.com')).toEqual([]);
    });

    it('probes the first Mailbox server by name', () => {
        expect(probeServer(inventory())?.name).toBe('EX1');
    });
});

describe('chooseCertificate', () => {
    it('creates a certificate when none exists', () => {
        expect(chooseCertificate(inventory(), NOW, 60)).toMatchObject({ kind: 'create' });
    });

    it.each([
        ['another domain', { domains: ['other.example'] }],
        ['no SMTP-or-higher service', { services: ['IIS'] }],
        ['a 1024-bit key', { keySize: 1024 }],
        ['a friendly name without OAuth', { friendlyName: 'Exchange SAN' }],
        ['no private key', { hasPrivateKey: false }],
        ['expiry inside the renewal window', { notAfter: '2026-02-01T00:00:00Z' }],
        ['a start date in the future', { notBefore: '2026-06-01T00:00:00Z' }],
    ])('ignores a certificate with %s', (_label, overrides) => {
        // Prepare
        const cert = certificate(overrides);
        const org = inventory({ certificates: held([{ server: 'EX1', certificates: [cert] }, { server: 'EX2', certificates: [cert] }]) });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice.kind).toBe('create');
    });

    it('does not reuse a matching certificate, even the current one, whose private key is a CNG key, and says why', () => {
        // Prepare
        const cert = certificate({ keyStorage: 'cng' });
        const org = inventory({ certificates: held([{ server: 'EX1', certificates: [cert] }, { server: 'EX2', certificates: [cert] }]), authConfig: { currentThumbprint: cert.thumbprint } });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice.kind).toBe('create');
        expect(choice.kind === 'create' ? choice.reason : '').toContain('"Exchange S2S OAuth" AAAA: a CNG key on EX1, EX2, which Exchange cannot sign with');
    });

    it('reuses a matching certificate present on every server', () => {
        // Prepare
        const cert = certificate({ services: ['SMTP', 'IIS'], friendlyName: 'Microsoft Exchange Server Auth Certificate oauth' });
        const org = inventory({ certificates: held([{ server: 'EX1', certificates: [cert] }, { server: 'EX2', certificates: [cert] }]) });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice).toMatchObject({ kind: 'reuse', certificate: { thumbprint: cert.thumbprint, withKey: ['EX1', 'EX2'] }, missingOn: [], sourceServer: null });
    });

    it('reuses a certificate on one of two servers and copies it from there', () => {
        // Prepare
        const cert = certificate();
        const org = inventory({ certificates: held([{ server: 'EX1', certificates: [] }, { server: 'EX2', certificates: [cert] }]) });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice).toMatchObject({ kind: 'reuse', certificate: { thumbprint: cert.thumbprint, withKey: ['EX2'] }, missingOn: ['EX1'], sourceServer: 'EX2' });
    });

    it('creates a new certificate when the only match is missing somewhere and not exportable', () => {
        // Prepare
        const cert = certificate({ exportable: false });
        const org = inventory({ certificates: held([{ server: 'EX1', certificates: [cert] }, { server: 'EX2', certificates: [] }]) });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice).toMatchObject({ kind: 'create', reason: expect.stringContaining('not exportable') as unknown });
    });

    it('prefers the current AuthConfig certificate over a longer-lived one', () => {
        // Prepare
        const current = certificate({ thumbprint: 'CURRENT', notAfter: '2027-06-01T00:00:00Z' });
        const longer = certificate({ thumbprint: 'LONGER', notAfter: '2030-01-01T00:00:00Z' });
        const org = inventory({
            authConfig: { currentThumbprint: 'CURRENT' },
            certificates: held([
                { server: 'EX1', certificates: [current, longer] },
                { server: 'EX2', certificates: [current, longer] },
            ]),
        });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice.kind === 'reuse' && choice.certificate.thumbprint).toBe('CURRENT');
    });
});

describe('chooseCertificate for an already onboarded organization', () => {
    it('reuses the current AuthConfig certificate even when its friendly name does not say OAuth', () => {
        // Prepare
        const cert = certificate({ thumbprint: 'PRODUCT', friendlyName: 'contoso-com-oauth-imported', services: ['None'] });
        const org = inventory({
            authConfig: { currentThumbprint: 'PRODUCT' },
            certificates: held([{ server: 'EX1', certificates: [cert] }, { server: 'EX2', certificates: [cert] }]),
        });

        // Act
        const choice = chooseCertificate(org, NOW, 60);

        // Assess
        expect(choice).toMatchObject({ kind: 'reuse', certificate: { thumbprint: 'PRODUCT' }, missingOn: [] });
    });
});

describe('certificateRejections: why a certificate that could be the OAuth certificate is not reused', () => {
    it.each([
        { why: 'a key below 2048 bits', cert: { keySize: 1024 }, servers: ['EX1', 'EX2'], reason: '"Exchange S2S OAuth" AAAA: a 1024-bit key' },
        { why: 'another domain', cert: { domains: ['mail.contoso.com'] }, servers: ['EX1', 'EX2'], reason: '"Exchange S2S OAuth" AAAA: domains mail.contoso.com, not corp.contoso.com' },
        { why: 'the renewal window', cert: { notAfter: '2026-02-01T00:00:00Z' }, servers: ['EX1', 'EX2'], reason: '"Exchange S2S OAuth" AAAA: expires 2026-02-01, within the 60-day renewal window' },
        { why: 'a key not exportable to the server that lacks it', cert: { exportable: false }, servers: ['EX1'], reason: '"Exchange S2S OAuth" AAAA: not on EX2 and its private key is not exportable' },
        { why: 'services below SMTP', cert: { services: ['IIS'] }, servers: ['EX1', 'EX2'], reason: '"Exchange S2S OAuth" AAAA: services IIS, below SMTP' },
    ])('names $why, and the created certificate\'s reason carries it', ({ cert, servers, reason }) => {
        // Prepare
        const rejected = certificate(cert);
        const world = inventory({ certificates: held(['EX1', 'EX2'].map((server) => ({ server, certificates: servers.includes(server) ? [rejected] : [] }))) });

        // Act
        const rejections = certificateRejections(world, NOW, 60);
        const choice = chooseCertificate(world, NOW, 60);

        // Assess
        expect(rejections).toEqual([reason]);
        expect(choice).toEqual({ kind: 'create', reason: `none reusable: ${reason}` });
    });

    it('leaves out certificates that were never candidates (no OAuth in the name, not current, outside the filter)', () => {
        // Prepare
        const iis = certificate({ friendlyName: 'Microsoft Exchange', services: ['IIS'] });
        const world = inventory({ certificates: held(['EX1', 'EX2'].map((server) => ({ server, certificates: [iis] }))) });

        // Act + Assess
        expect(certificateRejections(world, NOW, 60)).toEqual([]);
        expect(chooseCertificate(world, NOW, 60)).toEqual({ kind: 'create', reason: "no certificate matches the article's filter for corp.contoso.com" });
    });
});
