import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { parseCertificateDer } from '../../lib/certificates/parse-certificate';
import { rewrapPfxWith3des } from '../../lib/certificates/pfx-rewrap';
import { normaliseThumbprint, thumbprintOfDer } from '../../lib/certificates/thumbprint';
import { PermanentError, ValidationError } from '../../lib/errors';
import { certificate } from './helpers/certificates';

function pkcs12Of(id: string, password: string | null, otherKeyFrom?: string): Buffer {
    const cert = forge.pki.certificateFromPem(certificate(id).certificatePem);
    const key = forge.pki.privateKeyFromPem(certificate(otherKeyFrom ?? id).privateKeyPem);
    return Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, cert, password)).getBytes(), 'binary');
}

describe('certificate helpers (pure)', () => {
    it('computes the thumbprint as upper-case hex SHA-1 of the DER, as Windows shows it', () => {
        // Prepare
        const generated = certificate('thumbprint');

        // Act
        const thumbprint = thumbprintOfDer(Buffer.from(generated.derBase64, 'base64'));

        // Assess
        expect(thumbprint).toBe(generated.thumbprint);
        expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
    });

    it.each(['d9:8f:17:b5', 'D9 8F 17 B5', 'd98f17b5'])('normalises the typed thumbprint %s', (typed) => {
        // Act
        const normalised = normaliseThumbprint(typed);

        // Assess
        expect(normalised).toBe('D98F17B5');
    });

    it('reads validity, subject, DNS names and key size from the DER', () => {
        // Prepare
        const generated = certificate('parse', 365, 2048);

        // Act
        const summary = parseCertificateDer(Buffer.from(generated.derBase64, 'base64'));

        // Assess
        expect(summary).toMatchObject({
            thumbprint: generated.thumbprint,
            subject: 'CN=parse',
            dnsNames: ['parse.contoso.com'],
            keySizeBits: 2048,
            notBefore: generated.notBefore,
            notAfter: generated.notAfter,
            selfSigned: true,
        });
    });

    it('rejects bytes that are not a certificate', () => {
        // Act
        const parse = (): unknown => parseCertificateDer(Buffer.from('not a certificate'));

        // Assess
        expect(parse).toThrow(ValidationError);
    });

    it.each([
        ['a password-less PKCS#12 (Key Vault\'s form)', null, undefined],
        ['a PKCS#12 with a known password', 'source-password', 'source-password'],
    ])('re-wraps %s with 3DES and a fresh password that Node accepts', (_case, sourcePassword, given) => {
        // Prepare
        const source = pkcs12Of('rewrap', sourcePassword);

        // Act
        const { pfx, password } = rewrapPfxWith3des(source, { ...(given === undefined ? {} : { sourcePassword: given }), expectedThumbprint: certificate('rewrap').thumbprint });

        // Assess
        expect(password).not.toBe(sourcePassword);
        expect(() => createSecureContext({ pfx, passphrase: password })).not.toThrow();
    });

    it.each([
        ['a wrong source password', () => rewrapPfxWith3des(pkcs12Of('rewrap', 'right'), { sourcePassword: 'wrong' }), 'pfx-unreadable'],
        ['a key that does not belong to the certificate', () => rewrapPfxWith3des(pkcs12Of('rewrap', null, 'other-key')), 'pfx-key-mismatch'],
        ['another certificate than expected', () => rewrapPfxWith3des(pkcs12Of('rewrap', null), { expectedThumbprint: 'AB'.repeat(20) }), 'pfx-unexpected-certificate'],
    ])('refuses %s', (_case, rewrap, code) => {
        // Act
        const attempt = (): unknown => rewrap();

        // Assess
        expect(attempt).toThrow(PermanentError);
        expect(attempt).toThrow(expect.objectContaining({ code }) as Error);
    });
});
