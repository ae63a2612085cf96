import forge from 'node-forge';
import { PermanentError } from '../errors';
import { withKeyProviderName } from './pfx-csp-attribute';
import { newPfxPassword } from './pfx-password';
import { thumbprintOfDer } from './thumbprint';

/** A PKCS#12 protected by `password`. The only place in the product where a password is returned. */
export interface RewrappedPfx {
    readonly pfx: Buffer;
    readonly password: string;
}

interface KeyAndChain {
    readonly key: forge.pki.rsa.PrivateKey;
    readonly chain: forge.pki.Certificate[];
}

function bagsOfType(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
    return p12.getBags({ bagType })[bagType] ?? [];
}

function openPkcs12(pfx: Buffer, sourcePassword: string | undefined): forge.pkcs12.Pkcs12Pfx {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
    // A password-less PKCS#12 (as Key Vault exports it) may have been MAC'ed with the empty
    // password or with no password at all: PKCS#12 tells the two apart, so both are tried.
    const candidates = sourcePassword === undefined ? ['', undefined] : [sourcePassword];
    let lastError: unknown;
    for (const candidate of candidates) {
        try {
            return candidate === undefined ? forge.pkcs12.pkcs12FromAsn1(asn1, false) : forge.pkcs12.pkcs12FromAsn1(asn1, false, candidate);
        } catch (error) {
            lastError = error;
        }
    }
    throw new PermanentError('pfx-unreadable', 'The PKCS#12 could not be opened (wrong password or not a PKCS#12).', { cause: lastError });
}

function keyAndChain(p12: forge.pkcs12.Pkcs12Pfx): KeyAndChain {
    const keyBag = [...bagsOfType(p12, forge.pki.oids.pkcs8ShroudedKeyBag ?? ''), ...bagsOfType(p12, forge.pki.oids.keyBag ?? '')].find((bag) => bag.key);
    if (keyBag?.key === undefined) {
        throw new PermanentError('pfx-no-key', 'The PKCS#12 holds no RSA private key (only RSA keys can be re-wrapped for Exchange).', {
            cause: new Error('no keyBag or pkcs8ShroudedKeyBag with an RSA key'),
        });
    }
    const chain = bagsOfType(p12, forge.pki.oids.certBag ?? '').flatMap((bag) => (bag.cert ? [bag.cert] : []));
    if (chain.length === 0) throw new PermanentError('pfx-no-certificate', 'The PKCS#12 holds no certificate.', { cause: new Error('no certBag') });
    const key = keyBag.key;
    // The leaf goes first: it is the certificate whose public key matches the private key.
    const leafIndex = chain.findIndex((cert) => {
        const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
        return publicKey.n !== undefined && publicKey.n.equals(key.n);
    });
    if (leafIndex < 0) {
        throw new PermanentError('pfx-key-mismatch', 'No certificate in the PKCS#12 matches its private key.', { cause: new Error(`${chain.length} certificate(s), none with the key's modulus`) });
    }
    const leaf = chain[leafIndex] as forge.pki.Certificate;
    return { key, chain: [leaf, ...chain.filter((_, index) => index !== leafIndex)] };
}

export interface RewrapOptions {
    /** Password of the source PKCS#12; absent: none (Key Vault's export). */
    readonly sourcePassword?: string;
    /** Friendly name stored with the key and certificate (Windows shows and filters on it). */
    readonly friendlyName?: string;
    /** Fails unless the leaf certificate has this thumbprint. */
    readonly expectedThumbprint?: string;
}

/**
 * Opens a PKCS#12 (Key Vault's secret form: no password unless `sourcePassword` is given) and writes
 * it again with 3DES (pbeWithSHAAnd3-KeyTripleDES-CBC, which Windows Server 2012 R2 imports), a
 * SHA-1 MAC and a fresh random password, its key bag naming the CSP the Auth certificate's key must
 * be in (pfx-csp-attribute.ts). Nothing of the key, the PFX or the password is logged.
 */
export function rewrapPfxWith3des(pfx: Buffer, options: RewrapOptions = {}): RewrappedPfx {
    const { key, chain } = keyAndChain(openPkcs12(pfx, options.sourcePassword));
    if (options.expectedThumbprint !== undefined) {
        const leafDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(chain[0] as forge.pki.Certificate)).getBytes(), 'binary');
        const actual = thumbprintOfDer(leafDer);
        if (actual !== options.expectedThumbprint.toUpperCase()) {
            throw new PermanentError('pfx-unexpected-certificate', `The PKCS#12 holds certificate ${actual}, not the expected ${options.expectedThumbprint.toUpperCase()}.`, {
                cause: new Error('thumbprint mismatch'),
                remedy: 'Export the certificate version whose thumbprint was registered.',
            });
        }
    }
    const password = newPfxPassword();
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, {
        algorithm: '3des',
        generateLocalKeyId: true,
        ...(options.friendlyName === undefined ? {} : { friendlyName: options.friendlyName }),
    });
    // The key goes into the CryptoAPI provider Exchange signs with, whatever Windows would choose for a key without one.
    return { pfx: Buffer.from(forge.asn1.toDer(withKeyProviderName(asn1, password)).getBytes(), 'binary'), password };
}
