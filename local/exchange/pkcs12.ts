import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { AUTH_CERTIFICATE_CSP, withKeyProviderName } from '../../lib/certificates/pfx-csp-attribute';
import { openPfxNatively, type OpenedPfx } from './pkcs12-native';

export type { OpenedPfx } from './pkcs12-native';

/**
 * A PKCS#12 with 3DES (what Windows Server 2012 R2 imports), as the cloud side re-wraps it and as Windows exports
 * one: its key bag names the key's provider (Windows writes the provider of the exported key), or none when null.
 */
export function buildTripleDesPfx(certificatePem: string, privateKeyPem: string, password: string, friendlyName?: string, keyProvider: string | null = AUTH_CERTIFICATE_CSP): Buffer {
    const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(privateKeyPem), [forge.pki.certificateFromPem(certificatePem)], password, {
        algorithm: '3des',
        ...(friendlyName === undefined ? {} : { friendlyName }),
    });
    return Buffer.from(forge.asn1.toDer(keyProvider === null ? asn1 : withKeyProviderName(asn1, password, keyProvider)).getBytes(), 'binary');
}

/** The CNG provider Windows puts software keys in, and names on their export. */
export const SOFTWARE_KSP = 'Microsoft Software Key Storage Provider';

function thumbprintOf(der: Buffer): string {
    return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** Opens a PFX like Import-ExchangeCertificate does; throws when the password is wrong or the file is not a PKCS#12 with a key. */
export function openPfx(pfx: Buffer, password: string): OpenedPfx {
    return openPfxNatively(pfx, password) ?? openPfxWithForge(pfx, password);
}

/** Any PKCS#12 layout, slowly: forge's key derivation and ciphers run in JavaScript. */
export function openPfxWithForge(pfx: Buffer, password: string): OpenedPfx {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary'))), password);
    const firstBag = (bagType: string | undefined): forge.pkcs12.Bag | undefined =>
        bagType === undefined ? undefined : p12.getBags({ bagType })[bagType]?.[0];
    const certBag = firstBag(forge.pki.oids.certBag);
    const keyBag = firstBag(forge.pki.oids.pkcs8ShroudedKeyBag) ?? firstBag(forge.pki.oids.keyBag);
    if (certBag?.cert === undefined || keyBag?.key === undefined) throw new Error('The PFX holds no certificate with a private key.');
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certBag.cert)).getBytes(), 'binary');
    const friendly: unknown = (certBag.attributes as Record<string, readonly unknown[] | undefined>).friendlyName?.[0];
    return {
        thumbprint: thumbprintOf(der),
        derBase64: der.toString('base64'),
        certificatePem: forge.pki.certificateToPem(certBag.cert),
        privateKeyPem: forge.pki.privateKeyToPem(keyBag.key),
        friendlyName: typeof friendly === 'string' ? friendly : null,
        // forge drops the bag attributes it has no name for, the provider name among them: a PFX of a layout
        // only forge opens counts as naming no provider, which the import then treats as Windows may (certificate-cmdlets.ts).
        keyProvider: null,
    };
}
