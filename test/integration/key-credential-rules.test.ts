import { describe, expect, it } from 'vitest';
import { isCredentialFor, lostCredentials, parseKeyCredentials, sendBack } from '../../lib/graph/key-credential';
import { applyKeyCredentialsPatch } from '../../local/graph/key-credential-patch';
import type { StoredKeyCredential } from '../../local/graph/directory-state';
import { certificate } from './helpers/certificates';

const KEY_ID = '3f0c6a52-8d1e-4b7a-9c3d-111111111111';

function stored(id = 'stored'): StoredKeyCredential {
    const generated = certificate(id);
    return {
        keyId: KEY_ID,
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: generated.derBase64,
        customKeyIdentifier: generated.thumbprint,
        displayName: 'CN=stored',
        startDateTime: generated.notBefore.toISOString().replace('.000Z', 'Z'),
        endDateTime: generated.notAfter.toISOString().replace('.000Z', 'Z'),
    };
}

function asSent(credential: StoredKeyCredential, changes: Record<string, unknown> = {}): Record<string, unknown> {
    const { key: _key, ...fields } = credential;
    return { ...fields, ...changes };
}

describe('what the product sends back and how it recognises credentials (pure)', () => {
    it('sends a credential back with its key, type and usage only, as Microsoft\'s script for this service principal does', () => {
        // Prepare
        const [record] = parseKeyCredentials([
            { keyId: 'a', key: 'MIIB', type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'x', customKeyIdentifier: 'ABC', startDateTime: '2026-01-01T00:00:00Z', futureProperty: 1 },
        ]);

        // Act
        const sent = record === undefined ? undefined : sendBack(record);

        // Assess
        expect(sent).toEqual({ key: 'MIIB', type: 'AsymmetricX509Cert', usage: 'Verify' });
    });

    it('refuses to send back a credential whose key Graph did not return, rather than lose it', () => {
        // Prepare
        const [record] = parseKeyCredentials([{ keyId: 'b', key: null, type: 'AsymmetricX509Cert', usage: 'Verify' }]);

        // Act
        const attempt = (): unknown => (record === undefined ? undefined : sendBack(record));

        // Assess
        expect(attempt).toThrow(expect.objectContaining({ code: 'graph_key_not_readable', transient: false }) as Error);
    });

    it.each([
        ['its key', (thumbprint: string, der: string) => ({ keyId: 'k', key: der })],
        ['a hex customKeyIdentifier', (thumbprint: string) => ({ keyId: 'k', key: null, customKeyIdentifier: thumbprint.toLowerCase() })],
        ['a base64 SHA-1 customKeyIdentifier', (thumbprint: string) => ({ keyId: 'k', key: null, customKeyIdentifier: Buffer.from(thumbprint, 'hex').toString('base64') })],
    ])('recognises the certificate by %s', (_how, build) => {
        // Prepare
        const generated = certificate('recognise');
        const [record] = parseKeyCredentials([build(generated.thumbprint, generated.derBase64)]);

        // Act
        const recognised = record !== undefined && isCredentialFor(record, generated.thumbprint);

        // Assess
        expect(recognised).toBe(true);
    });

    it('does not mistake another certificate for this one', () => {
        // Prepare
        const [record] = parseKeyCredentials([{ keyId: 'k', key: certificate('other').derBase64, customKeyIdentifier: certificate('recognise').thumbprint }]);

        // Act
        const recognised = record !== undefined && isCredentialFor(record, certificate('recognise').thumbprint);

        // Assess
        expect(recognised).toBe(false);
    });

    it('does not count a Sign credential of the same certificate as the Verify key', () => {
        // Prepare
        const [record] = parseKeyCredentials([{ keyId: 'k', usage: 'Sign', key: certificate('recognise').derBase64 }]);

        // Act
        const recognised = record !== undefined && isCredentialFor(record, certificate('recognise').thumbprint);

        // Assess
        expect(recognised).toBe(false);
    });

    it('finds a credential lost by a write by the thumbprint of its key, whatever keyIds the write re-assigned', () => {
        // Prepare
        const [a, b, c] = ['a', 'b', 'c'].map((id) => certificate(`lost-${id}`).derBase64);
        const before = parseKeyCredentials([
            { keyId: '1', usage: 'Verify', key: a },
            { keyId: '2', usage: 'Verify', key: b },
            { keyId: '3', usage: 'Verify', key: c },
        ]);
        const after = parseKeyCredentials([
            { keyId: 'new-1', usage: 'Verify', key: a },
            { keyId: '2', usage: 'Verify', key: certificate('lost-other').derBase64 },
        ]);

        // Act
        const lost = lostCredentials(before, after, before.filter((record) => record.keyId === '3'));

        // Assess
        expect(lost.map((record) => record.keyId)).toEqual(['2']);
    });
});

describe("the Graph stand-in's PATCH keyCredentials rules (pure)", () => {
    it.each([
        { type: 'key, type and usage only', sent: (): Record<string, unknown> => ({ key: stored().key, type: 'AsymmetricX509Cert', usage: 'Verify' }) },
    ])('re-creates a credential sent back as $type from its certificate, under a new keyId', ({ sent }) => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [sent()], { collection: 'servicePrincipals' });

        // Assess
        const { keyId: _keyId, displayName: _displayName, ...certificateFields } = stored();
        expect(outcome).toEqual({ ok: true, keyCredentials: [{ ...certificateFields, keyId: expect.not.stringMatching(KEY_ID) as unknown, displayName: null }] });
    });

    it.each([
        { type: 'every field as read', sent: (): Record<string, unknown> => ({ ...asSent(stored()), key: stored().key }) },
        { type: 'its keyId without a key', sent: (): Record<string, unknown> => asSent(stored()) },
    ])('refuses, on the service principal, an existing credential sent back by keyId with $type', ({ sent }) => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [sent()], { collection: 'servicePrincipals' });

        // Assess
        expect(outcome).toEqual({ ok: false, message: `Update to existing credential with KeyId '${KEY_ID}' is not allowed.` });
    });

    it('keeps, on an application, the stored credential of a keyId sent back without its key (as a list read gives it)', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [{ ...asSent(stored()), key: null }], { collection: 'applications' });

        // Assess
        expect(outcome).toEqual({ ok: true, keyCredentials: [stored()] });
    });

    it('refuses, on an application, another key under an existing keyId', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [asSent(stored(), { key: certificate('other').derBase64 })], { collection: 'applications' });

        // Assess
        expect(outcome).toEqual({ ok: false, message: `Update to existing credential with KeyId '${KEY_ID}' is not allowed.` });
    });

    it('replaces the whole collection: a credential not sent is gone', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], []);

        // Assess
        expect(outcome).toEqual({ ok: true, keyCredentials: [] });
    });

    it.each([
        ['an end date past the certificate\'s', { endDateTime: new Date(certificate('fresh').notAfter.getTime() + 1000).toISOString() }, 'Key credential end date is invalid.'],
        ['no key', { key: undefined }, 'Key credential must have a key value.'],
    ])('rejects a new credential with %s', (_case, change, message) => {
        // Prepare
        const fresh = { type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate('fresh').derBase64, ...change };

        // Act
        const outcome = applyKeyCredentialsPatch([], [fresh]);

        // Assess
        expect(outcome).toEqual({ ok: false, message });
    });

    it('rejects a lifetime longer than the tenant policy allows with the end date text', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([], [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate('fresh').derBase64 }], { maxLifetimeDays: 30 });

        // Assess
        expect(outcome).toEqual({ ok: false, message: 'Key credential end date is invalid.' });
    });

    it('does not apply the lifetime policy to a certificate already on the object, sent back', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: stored().key }], { maxLifetimeDays: 30 });

        // Assess
        expect(outcome.ok).toBe(true);
    });

    it('rejects the same keyId twice', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([], [0, 1].map(() => ({ keyId: KEY_ID, type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate(`twice`).derBase64 })));

        // Assess
        expect(outcome.ok).toBe(false);
    });
});
