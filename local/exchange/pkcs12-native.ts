import { createHash, createHmac, createPrivateKey, hash, timingSafeEqual, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** What openPfx reads from a PKCS#12. */
export interface OpenedPfx {
    readonly thumbprint: string;
    readonly derBase64: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
    readonly friendlyName: string | null;
    /**
     * The key bag's provider name attribute (szOID_PKCS_12_KEY_PROVIDER_NAME_ATTR, 1.3.6.1.4.1.311.17.1;
     * OpenSSL's "Microsoft CSP Name"): the provider Windows puts the key in on import. Null: the PFX names none.
     */
    readonly keyProvider: string | null;
}

const OID = {
    data: '1.2.840.113549.1.7.1',
    sha1: '1.3.14.3.2.26',
    keyBag: '1.2.840.113549.1.12.10.1.1',
    shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
    certBag: '1.2.840.113549.1.12.10.1.3',
    x509Certificate: '1.2.840.113549.1.9.22.1',
    friendlyName: '1.2.840.113549.1.9.20',
    keyProviderName: '1.3.6.1.4.1.311.17.1',
};

/** The PKCS#12 key derivation (RFC 7292, appendix B.2) with SHA-1: `id` 3 gives the MAC key. */
function pkcs12Kdf(password: string, salt: Buffer, id: number, iterations: number, size: number): Buffer {
    const v = 64;
    const u = 20;
    const bmp = Buffer.alloc(password.length * 2 + 2);
    for (let index = 0; index < password.length; index += 1) bmp.writeUInt16BE(password.charCodeAt(index), index * 2);
    const fill = (source: Buffer, length: number): Buffer => {
        const out = Buffer.alloc(length);
        for (let index = 0; index < length; index += 1) out[index] = source[index % source.length] as number;
        return out;
    };
    const input = Buffer.concat([salt.length === 0 ? Buffer.alloc(0) : fill(salt, v * Math.ceil(salt.length / v)), fill(bmp, v * Math.ceil(bmp.length / v))]);
    const diversifier = Buffer.alloc(v, id);
    const out: Buffer[] = [];
    for (let produced = 0; produced < size; produced += u) {
        let a = createHash('sha1').update(diversifier).update(input).digest();
        for (let round = 1; round < iterations; round += 1) a = hash('sha1', a, 'buffer');
        out.push(a);
        const b = fill(a, v);
        for (let block = 0; block < input.length; block += v) {
            let carry = 1;
            for (let index = v - 1; index >= 0; index -= 1) {
                const sum = (input[block + index] as number) + (b[index] as number) + carry;
                input[block + index] = sum & 0xff;
                carry = sum >> 8;
            }
        }
    }
    return Buffer.concat(out).subarray(0, size);
}

type Asn1 = forge.asn1.Asn1;

function parts(node: Asn1 | undefined): Asn1[] {
    return Array.isArray(node?.value) ? node.value : [];
}

function bytes(node: Asn1 | undefined): Buffer {
    return Buffer.from(typeof node?.value === 'string' ? node.value : '', 'binary');
}

function oid(node: Asn1 | undefined): string {
    return forge.asn1.derToOid(typeof node?.value === 'string' ? node.value : '');
}

function der(node: Asn1): Buffer {
    return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

/** The content of a "data" ContentInfo: the DER inside its [0] OCTET STRING. */
function dataContent(contentInfo: Asn1): Asn1 | undefined {
    if (oid(parts(contentInfo)[0]) !== OID.data) return undefined;
    return forge.asn1.fromDer(bytes(parts(parts(contentInfo)[1])[0]).toString('binary'));
}

/** A BMPString bag attribute, such as friendlyName (forge decodes a BMPString to text). */
function textAttribute(attributes: Asn1 | undefined, type: string): string | null {
    const attribute = parts(attributes).find((a) => oid(parts(a)[0]) === type);
    const value = parts(parts(attribute)[1])[0]?.value;
    return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Opens a PKCS#12 of the common layout (unencrypted SafeContents, the key in a shrouded or plain key
 * bag, a SHA-1 MAC over a password) with Node's crypto: the same answer as forge, without its JavaScript KDF and
 * 3DES, which made a simulated import take tens of milliseconds. Throws on a wrong password;
 * undefined for any other layout (the caller then opens it with forge).
 */
export function openPfxNatively(pfx: Buffer, password: string): OpenedPfx | undefined {
    const [version, authSafe, macData] = parts(forge.asn1.fromDer(pfx.toString('binary')));
    const safeContents = authSafe === undefined ? undefined : dataContent(authSafe);
    if (version === undefined || safeContents === undefined || macData === undefined) return undefined;
    const [digestInfo, macSalt, macIterations] = parts(macData);
    if (oid(parts(parts(digestInfo)[0])[0]) !== OID.sha1) return undefined;
    const iterations = bytes(macIterations).readUIntBE(0, Math.min(6, Math.max(1, bytes(macIterations).length)));
    const expected = bytes(parts(digestInfo)[1]);
    const mac = createHmac('sha1', pkcs12Kdf(password, bytes(macSalt), 3, iterations, 20)).update(der(safeContents)).digest();
    if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) throw new Error('PKCS#12 MAC could not be verified. Invalid password?');
    let certificate: { der: Buffer; friendlyName: string | null } | undefined;
    let privateKeyPem: string | undefined;
    let keyProvider: string | null = null;
    for (const contentInfo of parts(safeContents)) {
        const bags = dataContent(contentInfo);
        if (bags === undefined) return undefined;
        for (const bag of parts(bags)) {
            const [bagId, bagValue, attributes] = parts(bag);
            const value = parts(bagValue)[0];
            if (value === undefined) continue;
            if (oid(bagId) === OID.certBag && certificate === undefined && oid(parts(value)[0]) === OID.x509Certificate) {
                certificate = { der: bytes(parts(parts(value)[1])[0]), friendlyName: textAttribute(attributes, OID.friendlyName) };
            } else if (oid(bagId) === OID.shroudedKeyBag || oid(bagId) === OID.keyBag) {
                const key = createPrivateKey({ key: der(value), format: 'der', type: 'pkcs8', ...(oid(bagId) === OID.shroudedKeyBag ? { passphrase: password } : {}) });
                privateKeyPem ??= key.export({ type: 'pkcs8', format: 'pem' }).toString();
                keyProvider ??= textAttribute(attributes, OID.keyProviderName);
            }
        }
    }
    if (certificate === undefined || privateKeyPem === undefined) throw new Error('The PFX holds no certificate with a private key.');
    const x509 = new X509Certificate(certificate.der);
    return {
        thumbprint: createHash('sha1').update(certificate.der).digest('hex').toUpperCase(),
        derBase64: certificate.der.toString('base64'),
        certificatePem: x509.toString(),
        privateKeyPem,
        friendlyName: certificate.friendlyName,
        keyProvider,
    };
}
