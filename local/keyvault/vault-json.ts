import type { StandInResponse } from '../identity/https-stand-in';
import type { IssuedCertificate } from './issued-certificate';
import type { VaultCertificate, VaultVersion } from './vault-state';

/** Key Vault's error body: {error: {code, message, innererror?}}. */
export function vaultError(status: number, code: string, message: string, headers: Record<string, string> = {}, innerCode?: string): StandInResponse {
    return { status, headers, body: { error: { code, message, ...(innerCode === undefined ? {} : { innererror: { code: innerCode } }) } } };
}

export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** A certificate operation as GET /certificates/{name}/pending returns it. */
export function operationJson(host: string, certificate: VaultCertificate): Record<string, unknown> {
    const operation = certificate.operation;
    const completed = operation?.status === 'completed';
    return {
        id: `https://${host}/certificates/${certificate.name}/pending`,
        issuer: { name: operation?.policy.issuerName ?? 'Self' },
        csr: '',
        cancellation_requested: false,
        status: operation?.status,
        status_details: completed ? 'Certificate created.' : 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.',
        ...(completed ? { target: `https://${host}/certificates/${certificate.name}` } : {}),
        request_id: operation?.requestId,
    };
}

/** A CertificateBundle: without cer and x5t (and disabled) until the version is issued. */
export function certificateBundle(host: string, certificate: VaultCertificate, version: VaultVersion): Record<string, unknown> {
    const base = `https://${host}`;
    const issued = version.issued;
    return {
        id: `${base}/certificates/${certificate.name}/${version.version}`,
        kid: `${base}/keys/${certificate.name}/${version.version}`,
        sid: `${base}/secrets/${certificate.name}/${version.version}`,
        ...(issued === undefined ? {} : { x5t: Buffer.from(issued.thumbprint, 'hex').toString('base64url'), cer: issued.der.toString('base64') }),
        attributes: {
            enabled: issued !== undefined,
            ...(issued === undefined ? {} : { nbf: seconds(issued.notBeforeMs), exp: seconds(issued.notAfterMs) }),
            created: seconds(version.createdMs),
            updated: seconds(issued?.createdMs ?? version.createdMs),
            recoveryLevel: 'Recoverable+Purgeable',
            recoverableDays: 90,
        },
        tags: version.tags,
        policy: { id: `${base}/certificates/${certificate.name}/policy`, ...version.policy.wire },
    };
}

/** A SecretBundle holding the PFX as Key Vault does: base64 PKCS#12 without password. */
export function secretBundle(host: string, certificate: VaultCertificate, version: VaultVersion, issued: IssuedCertificate): Record<string, unknown> {
    return {
        value: issued.pfxBase64,
        contentType: 'application/x-pkcs12',
        id: `https://${host}/secrets/${certificate.name}/${version.version}`,
        kid: `https://${host}/keys/${certificate.name}/${version.version}`,
        managed: true,
        attributes: { enabled: true, nbf: seconds(issued.notBeforeMs), exp: seconds(issued.notAfterMs), created: seconds(issued.createdMs), updated: seconds(issued.createdMs), recoveryLevel: 'Recoverable+Purgeable' },
        tags: version.tags,
    };
}
