import { constants, createHash, privateEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { rsaPrivateKeyPem } from './rsa-keys';

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

/** DER prefix of a PKCS#1 DigestInfo for SHA-256 (RFC 8017, section 9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * RSASSA-PKCS1-v1_5 over a SHA-256 digest with Node's crypto: forge's RSA in JavaScript took most of
 * a world's start-up. The scheme is deterministic, so the certificate's bytes are those forge makes.
 */
function signDigest(digest: string, privateKeyPem: string): string {
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(digest, 'binary')]);
    return privateEncrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
}

/** A real self-signed certificate for simulated worlds (never used by production code). */
export function generateSelfSignedCertificate(spec: CertificateSpec): GeneratedCertificate {
    const privateKeyPem = rsaPrivateKeyPem(spec.keySize ?? 2048);
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
    cert.sign({ ...forgeKey, sign: (md) => signDigest(typeof md === 'string' ? md : md.digest().getBytes(), privateKeyPem) }, forge.md.sha256.create());
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
