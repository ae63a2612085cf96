import type { KeyVaultCertificate } from '@azure/keyvault-certificates';
import { parseCertificateDer } from '../certificates/parse-certificate';
import { PermanentError } from '../errors';

/** The public part of a Key Vault certificate: what Graph and the orchestration need. No secret. */
export interface PublicCertificate {
    readonly certificateName: string;
    readonly version: string;
    /** base64 DER (the .cer). */
    readonly cerBase64: string;
    readonly thumbprint: string;
    readonly subject: string;
    readonly dnsNames: readonly string[];
    readonly keySizeBits: number | undefined;
    readonly notBefore: string;
    readonly notAfter: string;
    /** The organization the product made it for (its organizationGuid tag, lower case); null when untagged. */
    readonly organizationGuid: string | null;
}

/** Converts the SDK's certificate; throws when Key Vault's x5t disagrees with the DER it sent. */
export function toPublicCertificate(certificate: KeyVaultCertificate): PublicCertificate | undefined {
    if (certificate.cer === undefined || certificate.cer.length === 0) return undefined;
    const der = Buffer.from(certificate.cer);
    const summary = parseCertificateDer(der);
    const x5t = certificate.properties.x509Thumbprint;
    if (x5t !== undefined && Buffer.from(x5t).toString('hex').toUpperCase() !== summary.thumbprint) {
        throw new PermanentError('keyvault-thumbprint-mismatch', `Key Vault's thumbprint for ${certificate.name} does not match its certificate.`, {
            cause: new Error(`x5t ${Buffer.from(x5t).toString('hex').toUpperCase()} vs DER ${summary.thumbprint}`),
        });
    }
    return {
        certificateName: certificate.name,
        version: certificate.properties.version ?? '',
        cerBase64: der.toString('base64'),
        thumbprint: summary.thumbprint,
        subject: summary.subject,
        dnsNames: summary.dnsNames,
        keySizeBits: summary.keySizeBits,
        notBefore: summary.notBefore.toISOString(),
        notAfter: summary.notAfter.toISOString(),
        organizationGuid: certificate.properties.tags?.organizationGuid?.toLowerCase() ?? null,
    };
}
