import { execFileSync } from 'node:child_process';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { rewrapPfxWith3des } from '../../lib/certificates/pfx-rewrap';
import { openPfxNatively } from '../../local/exchange/pkcs12-native';
import { certificate } from './helpers/certificates';


function keyVaultPfx(): Buffer {
    // Key Vault's secret form: no password, the attributes forge writes.
    const generated = certificate('csp-name');
    const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(generated.privateKeyPem), forge.pki.certificateFromPem(generated.certificatePem), null);
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}


describe('the PFX built from Key Vault for import on premises', () => {
    it('names the Enhanced RSA and AES CSP on its key bag, the provider Microsoft creates the Auth certificate\'s key in', () => {
        // Prepare
        const source = keyVaultPfx();

        // Act
        const { pfx, password } = rewrapPfxWith3des(source, { friendlyName: 'Exchange S2S OAuth' });

        // Assess: the key bag's attributes, walked as PFXImportCertStore reads them (SafeBag.bagAttributes, RFC 7292 4.2).
        const opened = openPfxNatively(pfx, password);
        expect(opened?.keyProvider).toBe('Microsoft Enhanced RSA and AES Cryptographic Provider');
        expect(opened?.thumbprint).toBe(certificate('csp-name').thumbprint);
    });

    it('is read by OpenSSL as Windows reads it: a "Microsoft CSP Name" bag attribute of the key, and a MAC that still verifies', () => {
        // Prepare
        const { pfx, password } = rewrapPfxWith3des(keyVaultPfx(), { friendlyName: 'Exchange S2S OAuth' });

        // Act: -info prints the key bag's attributes before the key, which is cut out of what the test keeps.
        const printed = execFileSync('openssl', ['pkcs12', '-info', '-nodes', '-nocerts', '-legacy', '-passin', 'env:PFX_PASSWORD'], {
            input: pfx,
            env: { ...process.env, PFX_PASSWORD: password },
            encoding: 'utf8',
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        const info = printed.replace(/-----BEGIN [\s\S]*?-----END [A-Z ]+-----/g, '<key>');

        // Assess
        expect(info).toMatch(/Bag Attributes[\s\S]*Microsoft CSP Name: Microsoft Enhanced RSA and AES Cryptographic Provider/);
    });
});
