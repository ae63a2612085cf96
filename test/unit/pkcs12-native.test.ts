import { createPrivateKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { rewrapPfxWith3des } from '../../lib/certificates/pfx-rewrap';
import { buildTripleDesPfx, openPfx, openPfxWithForge } from '../../local/exchange/pkcs12';
import { openPfxNatively } from '../../local/exchange/pkcs12-native';
import { issueSelfSigned, readRequestedPolicy } from '../../local/keyvault/issued-certificate';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';

// Prepare (shared): one certificate, and the PFX forms the simulated Exchange is handed.
const certificate = generateSelfSignedCertificate({ subject: 'CN=corp.contoso.com', notBefore: new Date('2025-01-01'), notAfter: new Date('2027-01-01') });
const password = randomBytes(18).toString('base64');
const vault = issueSelfSigned(readRequestedPolicy({ x509_props: { subject: 'CN=corp.contoso.com', validity_months: 12 } }), 'v1', Date.parse('2026-01-01'));
const rewrapped = rewrapPfxWith3des(Buffer.from(vault.pfxBase64, 'base64'), { friendlyName: 'Exchange S2S OAuth' });

function publicKeyOf(privateKeyPem: string): string {
    return createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' }).toString('base64');
}

describe('opening a PFX with Node crypto', () => {
    it.each([
        ['a 3DES PFX exported by the simulated Exchange', buildTripleDesPfx(certificate.certificatePem, certificate.privateKeyPem, password, 'Exchange S2S OAuth'), password],
        ['the product\'s 3DES re-wrap of a Key Vault PFX', rewrapped.pfx, rewrapped.password],
        ['a PFX with the empty password', buildTripleDesPfx(certificate.certificatePem, certificate.privateKeyPem, ''), ''],
    ])('reads %s exactly as forge does', (_name, pfx, secret) => {
        // Act
        const native = openPfxNatively(pfx, secret);
        const slow = openPfxWithForge(pfx, secret);

        // Assess
        expect(native).toMatchObject({ thumbprint: slow.thumbprint, derBase64: slow.derBase64, friendlyName: slow.friendlyName });
        expect(publicKeyOf(native?.privateKeyPem ?? '')).toBe(publicKeyOf(slow.privateKeyPem));
    });

    it('refuses a wrong password, as Import-ExchangeCertificate does', () => {
        // Prepare
        const pfx = buildTripleDesPfx(certificate.certificatePem, certificate.privateKeyPem, password);

        // Act
        const open = () => openPfx(pfx, `${password}x`);

        // Assess
        expect(open).toThrow(/MAC could not be verified/);
    });

    it('leaves a layout it does not read (no MAC) to forge', () => {
        // Prepare
        const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(certificate.privateKeyPem), [forge.pki.certificateFromPem(certificate.certificatePem)], password, { algorithm: '3des', useMac: false });
        const pfx = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

        // Act
        const native = openPfxNatively(pfx, password);
        const opened = openPfx(pfx, password);

        // Assess
        expect(native).toBeUndefined();
        expect(opened.thumbprint).toBe(certificate.thumbprint);
    });
});
