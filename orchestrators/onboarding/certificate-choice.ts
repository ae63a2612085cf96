import { authServers } from './preflight';
import type { CertificateView, HeldCertificateView, InventoryView } from '../../lib/contracts/inventory';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Exchange's certificate Services flags; the article's filter is `Services -ge "SMTP"`. */
const SERVICE_FLAGS: Readonly<Record<string, number>> = { None: 0, IMAP: 1, POP: 2, UM: 4, IIS: 8, SMTP: 16, Federation: 32, UMCallRouter: 64 };

export type CertificateChoice =
    | {
          readonly kind: 'reuse';
          readonly certificate: HeldCertificateView;
          /** Servers that lack it and get it copied from `sourceServer`. */
          readonly missingOn: readonly string[];
          readonly sourceServer: string | null;
      }
    | { readonly kind: 'create'; readonly reason: string };

/**
 * The article's filter (`CertificateDomains -eq $env:USERDNSDOMAIN -and Services -ge "SMTP" -and
 * PublicKeySize -ge 2048 -and FriendlyName -match "OAuth"`), plus what reuse needs to be safe:
 * a private key, valid now and beyond the renewal window.
 */
export function matchesArticleFilter(cert: CertificateView, userDnsDomain: string): boolean {
    const services = cert.services.reduce((sum, s) => sum + (SERVICE_FLAGS[s] ?? 0), 0);
    return (
        cert.domains.some((d) => d.toLowerCase() === userDnsDomain.toLowerCase()) &&
        services >= (SERVICE_FLAGS.SMTP ?? 16) &&
        cert.keySize >= 2048 &&
        /oauth/i.test(cert.friendlyName)
    );
}

/** What keeps a certificate out of the article's filter, in words; empty when it matches. */
export function articleFilterMisses(cert: CertificateView, userDnsDomain: string): string[] {
    const misses: string[] = [];
    if (!cert.domains.some((d) => d.toLowerCase() === userDnsDomain.toLowerCase())) misses.push(`domains ${cert.domains.join(', ') || 'none'}, not ${userDnsDomain}`);
    if (cert.services.reduce((sum, s) => sum + (SERVICE_FLAGS[s] ?? 0), 0) < (SERVICE_FLAGS.SMTP ?? 16)) misses.push(`services ${cert.services.join(', ') || 'None'}, below SMTP`);
    if (cert.keySize < 2048) misses.push(`a ${cert.keySize}-bit key`);
    if (!/oauth/i.test(cert.friendlyName)) misses.push(`friendly name "${cert.friendlyName}" without "OAuth"`);
    return misses;
}

/** Why a reused certificate was chosen: the article's filter, or being the current AuthConfig certificate (and what the filter misses). */
export function reuseReason(cert: CertificateView, userDnsDomain: string): string {
    const misses = articleFilterMisses(cert, userDnsDomain);
    return misses.length === 0 ? "matches the article's filter" : `the current AuthConfig certificate, outside the article's filter (${misses.join('; ')})`;
}

/**
 * A CNG key cannot be the Auth certificate's: Microsoft creates it with an RSA CryptoServiceProvider key because
 * "the certificate can't be used as Auth Certificate otherwise" (CSS-Exchange Admin/MonitorExchangeAuthCertificate/
 * ConfigurationAction/New-ExchangeAuthCertificate.ps1, UseRSACryptoServiceProvider). The summary leaves such
 * servers out of withKey.
 */
export function hasCngKey(cert: HeldCertificateView): boolean {
    return (cert.cngKeyOn ?? []).length > 0;
}

/** Usable for signing from now until beyond the renewal window (on the servers that hold its private key). */
export function isUsable(cert: CertificateView, nowMs: number, renewalWindowDays: number): boolean {
    return cert.keySize >= 2048 && Date.parse(cert.notBefore) <= nowMs && Date.parse(cert.notAfter) > nowMs + renewalWindowDays * DAY_MS;
}

/** Why a certificate cannot be reused now: not yet valid, or expiring within the renewal window. */
function usabilityMisses(cert: CertificateView, nowMs: number, renewalWindowDays: number): string[] {
    const misses: string[] = [];
    if (Date.parse(cert.notBefore) > nowMs) misses.push(`not valid before ${cert.notBefore.slice(0, 10)}`);
    if (Date.parse(cert.notAfter) <= nowMs + renewalWindowDays * DAY_MS) misses.push(`expires ${cert.notAfter.slice(0, 10)}, within the ${renewalWindowDays}-day renewal window`);
    return misses;
}

/**
 * Why each certificate that could have been the OAuth certificate (the current AuthConfig one, one
 * the article's filter matches, or one whose friendly name says OAuth) was not reused, in words:
 * `"Exchange OAuth" 1A2B3C4D: a 1024-bit key; expires 2026-01-10, within the 60-day renewal window`.
 * The certificate step keeps these after it completes, so the reason a certificate was created stays visible.
 */
export function certificateRejections(inventory: InventoryView, nowMs: number, renewalWindowDays: number): string[] {
    const required = authServers(inventory).map((s) => s.name);
    const current = inventory.authConfig.currentThumbprint;
    return inventory.certificates.flatMap((cert) => {
        const isCurrent = cert.thumbprint === current;
        if (!isCurrent && !matchesArticleFilter(cert, inventory.userDnsDomain) && !/oauth/i.test(cert.friendlyName)) return [];
        const misses = [...(isCurrent ? [] : articleFilterMisses(cert, inventory.userDnsDomain)), ...usabilityMisses(cert, nowMs, renewalWindowDays)];
        const missing = required.filter((server) => !cert.withKey.includes(server));
        if (hasCngKey(cert)) misses.push(`a CNG key on ${(cert.cngKeyOn ?? []).join(', ')}, which Exchange cannot sign with (Microsoft creates the Auth certificate with a CryptoAPI CSP key)`);
        if (cert.withKey.length === 0 && !hasCngKey(cert)) misses.push('no private key on any server');
        else if (missing.length > 0 && cert.exportableOn.length === 0) misses.push(`not on ${missing.join(', ')} and its private key is not exportable`);
        return misses.length === 0 ? [] : [`"${cert.friendlyName}" ${cert.thumbprint.slice(0, 8)}: ${misses.join('; ')}`];
    });
}

/**
 * Reuse a suitable certificate when there is one that every server has or can get from another
 * server (exportable keys only); otherwise create one. Candidates are the article's matches and the
 * current AuthConfig certificate (whatever its friendly name: it already is the OAuth certificate).
 * Prefers the current one, then the one on most servers, then the one valid longest.
 */
export function chooseCertificate(inventory: InventoryView, nowMs: number, renewalWindowDays: number): CertificateChoice {
    const required = authServers(inventory).map((s) => s.name);
    const current = inventory.authConfig.currentThumbprint;
    const holders = inventory.certificates
        .filter((cert) => cert.withKey.length > 0 && (cert.thumbprint === current || matchesArticleFilter(cert, inventory.userDnsDomain)) && isUsable(cert, nowMs, renewalWindowDays))
        .map((cert) => ({ cert, servers: cert.withKey, exportableOn: cert.exportableOn }));
    const ranked = holders
        .map((h) => ({ ...h, missing: required.filter((s) => !h.servers.includes(s)) }))
        .filter((h) => h.missing.length === 0 || h.exportableOn.length > 0)
        .sort(
            (a, b) =>
                Number(b.cert.thumbprint === current) - Number(a.cert.thumbprint === current) ||
                a.missing.length - b.missing.length ||
                Date.parse(b.cert.notAfter) - Date.parse(a.cert.notAfter) ||
                a.cert.thumbprint.localeCompare(b.cert.thumbprint),
        );
    const best = ranked[0];
    if (!best) {
        const rejected = certificateRejections(inventory, nowMs, renewalWindowDays);
        return {
            kind: 'create',
            reason: rejected.length === 0 ? `no certificate matches the article's filter for ${inventory.userDnsDomain}` : `none reusable: ${rejected.join(' | ')}`,
        };
    }
    return {
        kind: 'reuse',
        certificate: best.cert,
        missingOn: best.missing,
        sourceServer: best.missing.length === 0 ? null : [...best.exportableOn].sort()[0] ?? null,
    };
}

/**
 * A certificate found on premises is registered on the key target only when the request confirmed
 * its thumbprint (issue 15, finding 4): whoever holds an agent's configuration can answer as the
 * agent, and an inventory they wrote would otherwise get their own certificate registered on the
 * Exchange Online service principal (the CVE-2025-53786 path). A certificate whose key the target
 * already holds needs no confirmation, since nothing is registered. Unconfirmed, a certificate is
 * created in Key Vault instead; the reason names the thumbprint to confirm (the dry run shows it).
 */
export function confirmedChoice(choice: CertificateChoice, confirmThumbprint: string | undefined, registeredThumbprints: readonly (string | null)[]): CertificateChoice {
    if (choice.kind !== 'reuse') return choice;
    const thumbprint = choice.certificate.thumbprint.toUpperCase();
    if (confirmThumbprint?.toUpperCase() === thumbprint) return choice;
    if (registeredThumbprints.some((registered) => registered?.toUpperCase() === thumbprint)) return choice;
    return {
        kind: 'create',
        reason: `on-premises certificate ${thumbprint} (${choice.certificate.friendlyName}) is not registered on the key target and its thumbprint was not confirmed; to reuse it instead, onboard with certificate.confirmThumbprint "${thumbprint}"`,
    };
}
