import { randomBytes } from 'node:crypto';
import type { InventoryCertificate } from '../../lib/protocol';
import { describeCertificate } from './certificate-details';
import { exchangeFailure, type SimulatedOrganization, type SimulatedServer, type StoredCertificate } from './organization';
import { AUTH_CERTIFICATE_CSP } from '../../lib/certificates/pfx-csp-attribute';
import { buildTripleDesPfx, openPfx, SOFTWARE_KSP, type OpenedPfx } from './pkcs12';

function iso(ms: number): string {
    return new Date(ms).toISOString();
}

/** Get-ExchangeCertificate -Server */
export function getExchangeCertificates(org: SimulatedOrganization, server: SimulatedServer, nowMs: number): InventoryCertificate[] {
    org.record('Get-ExchangeCertificate', server, nowMs);
    org.requireReachable(server);
    return [...org.storeOf(server.name).values()].map((stored) => ({
        thumbprint: stored.certificate.thumbprint,
        friendlyName: stored.friendlyName,
        subject: stored.certificate.subject,
        issuer: stored.certificate.issuer,
        domains: [...stored.certificate.domains],
        services: stored.services.length === 0 ? ['None'] : [...stored.services],
        keySize: stored.certificate.keySize,
        notBefore: iso(stored.certificate.notBeforeMs),
        notAfter: iso(stored.certificate.notAfterMs),
        hasPrivateKey: stored.hasPrivateKey,
        privateKeyExportable: stored.exportable,
        keyStorage: stored.hasPrivateKey ? stored.keyStorage : 'unknown',
        derBase64: stored.certificate.derBase64,
    }));
}

/** The provider name an export writes on the key bag: the provider the key is in. */
export function exportedProvider(stored: StoredCertificate): string {
    return stored.keyStorage === 'csp' ? AUTH_CERTIFICATE_CSP : SOFTWARE_KSP;
}

/** Export-ExchangeCertificate -Thumbprint -Server -BinaryEncoded -Password: a PFX with a fresh password. */
export function exportExchangeCertificate(org: SimulatedOrganization, server: SimulatedServer, thumbprint: string, nowMs: number): { pfx: Buffer; password: string } {
    org.record('Export-ExchangeCertificate', server, nowMs);
    org.requireReachable(server);
    const stored = org.storeOf(server.name).get(thumbprint);
    if (stored === undefined) throw exchangeFailure(`The certificate with thumbprint ${thumbprint} was not found on server ${server.name}.`);
    if (!stored.hasPrivateKey || !stored.exportable) {
        throw exchangeFailure(`The private key of certificate ${thumbprint} on server ${server.name} is not exportable.`);
    }
    const password = randomBytes(18).toString('base64');
    return { pfx: buildTripleDesPfx(stored.certificate.certificatePem, stored.certificate.privateKeyPem, password, stored.friendlyName, exportedProvider(stored)), password };
}

export interface ImportRequest {
    /** The PFX as openPfxOrFail opened it (once per Install call: opening a 3DES PFX is slow in JavaScript). */
    readonly opened: OpenedPfx;
    readonly privateKeyExportable: boolean;
    readonly friendlyName?: string;
}

/** Opens a PFX the way Import-ExchangeCertificate does; a wrong password fails. */
export function openPfxOrFail(pfx: Buffer, password: string): OpenedPfx {
    try {
        return openPfx(pfx, password);
    } catch (error) {
        throw exchangeFailure(`The certificate could not be imported: the PFX password is not correct or the file is damaged (${(error as Error).message.split('.')[0] ?? 'unreadable'}).`);
    }
}

/** What the install script enables on a certificate it imports, as the article's New-ExchangeCertificate -Services Federation. */
export const OAUTH_CERTIFICATE_SERVICE = 'Federation';

/**
 * Enable-ExchangeCertificate -Thumbprint -Services -Server (learn.microsoft.com/powershell/module/exchange/enable-exchangecertificate):
 * adds the services to those the certificate already has; it never removes one.
 */
export function enableExchangeCertificate(org: SimulatedOrganization, server: SimulatedServer, thumbprint: string, services: readonly string[], nowMs: number): void {
    org.record('Enable-ExchangeCertificate', server, nowMs);
    org.requireReachable(server);
    const stored = org.storeOf(server.name).get(thumbprint);
    if (stored === undefined) throw exchangeFailure(`The certificate with thumbprint ${thumbprint} was not found on server ${server.name}.`);
    stored.services = [...new Set([...stored.services, ...services])];
}

/**
 * Where Windows puts an imported key: in the provider the key bag names (PKCS#12 attribute 1.3.6.1.4.1.311.17.1),
 * a CNG key storage provider when it names one. A PFX that names none leaves it to the importer: PFXImportCertStore
 * chooses the CAPI Base provider unless asked to prefer CNG, Import-PfxCertificate and .NET's loader put it in the
 * Microsoft Software Key Storage Provider (dotnet/runtime#107005, puppetlabs/puppetlabs-sslcertificate#62). The
 * stand-in takes the CNG case; in the other the Base provider cannot make the SHA-256 signature either.
 */
function keyStorageOf(provider: string | null): 'csp' | 'cng' {
    return provider !== null && /Cryptographic Provider/i.test(provider) ? 'csp' : 'cng';
}

/** Import-ExchangeCertificate -FileData -Password -PrivateKeyExportable -Server */
export function importExchangeCertificate(org: SimulatedOrganization, server: SimulatedServer, request: ImportRequest, nowMs: number): string {
    org.record('Import-ExchangeCertificate', server, nowMs);
    org.requireReachable(server);
    const { opened } = request;
    const store = org.storeOf(server.name);
    if (store.has(opened.thumbprint)) throw exchangeFailure(`The certificate with thumbprint ${opened.thumbprint} already exists on server ${server.name}.`);
    store.set(opened.thumbprint, {
        certificate: describeCertificate(opened.certificatePem, opened.privateKeyPem),
        friendlyName: request.friendlyName ?? opened.friendlyName ?? '',
        services: [],
        hasPrivateKey: true,
        exportable: request.privateKeyExportable,
        keyStorage: keyStorageOf(opened.keyProvider),
    });
    return opened.thumbprint;
}
