import forge from 'node-forge';

/**
 * The PKCS#12 bag attribute that names the CryptoAPI provider Windows puts the key in on import
 * (szOID_PKCS_12_KEY_PROVIDER_NAME_ATTR in wincrypt.h; OpenSSL prints it as "Microsoft CSP Name").
 */
export const CSP_NAME_OID = '1.3.6.1.4.1.311.17.1';

/**
 * The CSP of type PROV_RSA_AES (24): MS_ENH_RSA_AES_PROV in wincrypt.h
 * (learn.microsoft.com/windows/win32/seccrypto/prov-rsa-aes). Microsoft creates the Auth certificate
 * with an RSA CryptoServiceProvider key of that type because "the certificate can't be used as Auth
 * Certificate otherwise" (CSS-Exchange Admin/MonitorExchangeAuthCertificate/ConfigurationAction/
 * New-ExchangeAuthCertificate.ps1, UseRSACryptoServiceProvider; Shared/CertificateFunctions/
 * New-ExchangeSelfSignedCertificate.ps1, CspParameters.ProviderType = 24).
 */
export const AUTH_CERTIFICATE_CSP = 'Microsoft Enhanced RSA and AES Cryptographic Provider';

const OIDS = {
    data: '1.2.840.113549.1.7.1',
    keyBag: '1.2.840.113549.1.12.10.1.1',
    shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
} as const;

type Asn1 = forge.asn1.Asn1;
const { asn1 } = forge;

function children(node: Asn1 | undefined): Asn1[] {
    return Array.isArray(node?.value) ? node.value : [];
}

function oidOf(node: Asn1 | undefined): string {
    return typeof node?.value === 'string' ? asn1.derToOid(node.value) : '';
}

function cspNameAttribute(provider: string): Asn1 {
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(CSP_NAME_OID).getBytes()),
        // forge writes a BMPSTRING's text as UTF-16 big-endian code units (X.680).
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, provider)]),
    ]);
}

/** The SafeContents inside a "data" ContentInfo (its [0] OCTET STRING), with a way to write it back. */
function dataContent(contentInfo: Asn1): { readonly safeContents: Asn1; write: (next: Asn1) => void } | undefined {
    const [contentType, explicit] = children(contentInfo);
    const octets = children(explicit)[0];
    if (oidOf(contentType) !== OIDS.data || octets === undefined || typeof octets.value !== 'string') return undefined;
    return {
        safeContents: asn1.fromDer(octets.value),
        write: (next) => {
            octets.value = asn1.toDer(next).getBytes();
        },
    };
}

/**
 * Adds the CSP name attribute to every key bag of a PKCS#12 that forge built with a SHA-1 MAC over
 * `password`, then computes the MAC again (RFC 7292, 5.1: the MAC covers the AuthenticatedSafe).
 * forge gives the key bag and the certificate bag the same attributes; the provider belongs to the key.
 */
export function withKeyProviderName(pfx: Asn1, password: string, provider: string = AUTH_CERTIFICATE_CSP): Asn1 {
    const [, authSafe, macData] = children(pfx);
    const authenticated = authSafe === undefined ? undefined : dataContent(authSafe);
    if (authenticated === undefined || macData === undefined) throw new Error('not a password-integrity PKCS#12 with a data AuthenticatedSafe');
    for (const contentInfo of children(authenticated.safeContents)) {
        const content = dataContent(contentInfo);
        if (content === undefined) continue;
        for (const bag of children(content.safeContents)) {
            if (![OIDS.keyBag, OIDS.shroudedKeyBag].includes(oidOf(children(bag)[0]) as typeof OIDS.keyBag)) continue;
            const attributes = children(bag)[2];
            if (attributes === undefined) children(bag).push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [cspNameAttribute(provider)]));
            else children(attributes).push(cspNameAttribute(provider));
        }
        content.write(content.safeContents);
    }
    authenticated.write(authenticated.safeContents);

    const [digestInfo, salt, iterations] = children(macData);
    const digest = children(digestInfo)[1];
    if (digest === undefined || typeof salt?.value !== 'string' || typeof iterations?.value !== 'string') throw new Error('PKCS#12 MacData is incomplete');
    const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt.value), 3, asn1.derToInteger(iterations.value), 20);
    const hmac = forge.hmac.create();
    hmac.start('sha1', macKey.getBytes());
    hmac.update(asn1.toDer(authenticated.safeContents).getBytes());
    digest.value = hmac.digest().getBytes();
    return pfx;
}
