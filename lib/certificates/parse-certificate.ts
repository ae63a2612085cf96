import { X509Certificate } from 'node:crypto';
import { ValidationError } from '../errors';
import { thumbprintOfDer } from './thumbprint';

/** What the product needs to know about a public certificate. Nothing here is secret. */
export interface CertificateSummary {
    readonly thumbprint: string;
    /** Distinguished name as OpenSSL prints it, one attribute per line joined by ", " (e.g. "CN=contoso.com"). */
    readonly subject: string;
    readonly issuer: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
    readonly dnsNames: readonly string[];
    /** RSA modulus length; undefined for key types without one. */
    readonly keySizeBits: number | undefined;
    readonly serialNumber: string;
    readonly selfSigned: boolean;
}

function distinguishedName(text: string): string {
    return text
        .split('\n')
        .filter((line) => line.length > 0)
        .join(', ');
}

function dnsNamesOf(subjectAltName: string | undefined): string[] {
    if (subjectAltName === undefined) return [];
    return subjectAltName
        .split(', ')
        .filter((entry) => entry.startsWith('DNS:'))
        .map((entry) => entry.slice('DNS:'.length));
}

/** Parses a DER certificate (any key type). Throws ValidationError when the bytes are not a certificate. */
export function parseCertificateDer(der: Uint8Array): CertificateSummary {
    let certificate: X509Certificate;
    try {
        certificate = new X509Certificate(der);
    } catch (error) {
        throw new ValidationError([{ field: 'certificate', reason: `not a DER X.509 certificate (${(error as Error).message})` }]);
    }
    return {
        thumbprint: thumbprintOfDer(der),
        subject: distinguishedName(certificate.subject),
        issuer: distinguishedName(certificate.issuer),
        // OpenSSL's "Jan  5 09:00:00 2026 GMT" form, which Date parses exactly.
        notBefore: new Date(certificate.validFrom),
        notAfter: new Date(certificate.validTo),
        dnsNames: dnsNamesOf(certificate.subjectAltName),
        keySizeBits: certificate.publicKey.asymmetricKeyDetails?.modulusLength,
        serialNumber: certificate.serialNumber.toUpperCase(),
        selfSigned: certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey),
    };
}
