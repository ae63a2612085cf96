import { createHash } from 'node:crypto';
import forge from 'node-forge';

/** A certificate as the simulated organization knows it; the private key is known to the world, not to every store. */
export interface SimulatedCertificate {
    readonly thumbprint: string;
    readonly subject: string;
    readonly issuer: string;
    readonly domains: readonly string[];
    readonly keySize: number;
    readonly notBeforeMs: number;
    readonly notAfterMs: number;
    readonly derBase64: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

function distinguishedName(attributes: readonly forge.pki.CertificateField[]): string {
    return attributes.map((attribute) => `${attribute.shortName ?? attribute.name ?? 'OID'}=${String(attribute.value)}`).join(', ');
}

/** Reads what Get-ExchangeCertificate shows from a real certificate. */
export function describeCertificate(certificatePem: string, privateKeyPem: string): SimulatedCertificate {
    const cert = forge.pki.certificateFromPem(certificatePem);
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    const san: { altNames?: { type: number; value: string }[] } | undefined = cert.getExtension('subjectAltName');
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return {
        thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
        subject: distinguishedName(cert.subject.attributes),
        issuer: distinguishedName(cert.issuer.attributes),
        domains: (san?.altNames ?? []).filter((name) => name.type === 2).map((name) => name.value),
        keySize: publicKey.n.bitLength(),
        notBeforeMs: cert.validity.notBefore.getTime(),
        notAfterMs: cert.validity.notAfter.getTime(),
        derBase64: der.toString('base64'),
        certificatePem,
        privateKeyPem,
    };
}
