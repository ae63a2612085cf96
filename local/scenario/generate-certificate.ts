import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface GeneratedCertificate {
    /** Upper-case hex SHA-1 of the DER, as Exchange and Graph show thumbprints. */
    readonly thumbprint: string;
    readonly derBase64: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
}

export interface CertificateSpec {
    readonly subject: string;
    readonly dnsNames?: readonly string[];
    readonly keySize?: number;
    readonly notBefore: Date;
    readonly notAfter: Date;
}

/** A real self-signed certificate for simulated worlds (never used by production code). */
export function generateSelfSignedCertificate(spec: CertificateSpec): GeneratedCertificate {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: spec.keySize ?? 2048 });
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    cert.validity.notBefore = spec.notBefore;
    cert.validity.notAfter = spec.notAfter;
    const attrs = [{ name: 'commonName', value: spec.subject.replace(/^CN=/i, '') }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    const extensions: object[] = [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true }];
    if (spec.dnsNames && spec.dnsNames.length > 0) {
        extensions.push({ name: 'subjectAltName', altNames: spec.dnsNames.map((value) => ({ type: 2, value })) });
    }
    cert.setExtensions(extensions);
    cert.sign(forgeKey, forge.md.sha256.create());
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    return {
        thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
        derBase64: der.toString('base64'),
        certificatePem: forge.pki.certificateToPem(cert),
        privateKeyPem,
        notBefore: spec.notBefore,
        notAfter: spec.notAfter,
    };
}
