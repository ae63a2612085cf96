import { children, objectIdentifier, smallInteger, topSequence } from './der-reader';

/** What a DER blob is, when it is one of the shapes that hold private key material. */
export type KeyShape = 'pkcs8PrivateKey' | 'pkcs8EncryptedPrivateKey' | 'pkcs1RsaPrivateKey' | 'sec1EcPrivateKey' | 'pkcs12Pfx';

const PKCS7_DATA = '1.2.840.113549.1.7.1';
const PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ENCRYPTION_SCHEMES = ['1.2.840.113549.1.5.', '1.2.840.113549.1.12.1.'];

/**
 * Recognises private key containers by their ASN.1 layout (RFC 5208, 5958, 8017, 5915, 7292), so
 * that a public certificate (a SEQUENCE that starts with a SEQUENCE) never matches.
 */
export function keyShapeOf(der: Buffer): KeyShape | undefined {
    const top = topSequence(der);
    if (top === undefined || top.length < 2) return undefined;
    const [first, second, third] = top;
    const version = smallInteger(first);
    // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
    if (version === 3 && second?.tag === 0x30) {
        const contentType = objectIdentifier(children(second.contents)?.[0]);
        if (contentType === PKCS7_DATA || contentType === PKCS7_SIGNED_DATA) return 'pkcs12Pfx';
    }
    // OneAsymmetricKey ::= SEQUENCE { version (0|1), privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
    if ((version === 0 || version === 1) && second?.tag === 0x30 && third?.tag === 0x04 && objectIdentifier(children(second.contents)?.[0]) !== undefined) return 'pkcs8PrivateKey';
    // RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv }
    if (version === 0 && top.length >= 9 && top.every((element) => element.tag === 0x02)) return 'pkcs1RsaPrivateKey';
    // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }
    if (version === 1 && second?.tag === 0x04 && (third === undefined || third.tag === 0xa0 || third.tag === 0xa1)) return 'sec1EcPrivateKey';
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
    if (top.length === 2 && first?.tag === 0x30 && second?.tag === 0x04) {
        const scheme = objectIdentifier(children(first.contents)?.[0]) ?? '';
        if (ENCRYPTION_SCHEMES.some((prefix) => scheme.startsWith(prefix))) return 'pkcs8EncryptedPrivateKey';
    }
    return undefined;
}
