import { describe, expect, it } from 'vitest';
import { isCredentialFor, lostKeyIds, parseKeyCredentials, sendBack } from '../../lib/graph/key-credential';
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
        keyReturned: true,
    };
}

function asSent(credential: StoredKeyCredential, changes: Record<string, unknown> = {}): Record<string, unknown> {
    const { keyReturned: _keyReturned, key: _key, ...fields } = credential;
    return { ...fields, ...changes };
}

describe('what the product sends back and how it recognises credentials (pure)', () => {
    it('sends a credential back with every property as read, dropping only a null key', () => {
        // Prepare
        const [readable, unreadable] = parseKeyCredentials([
            { keyId: 'a', key: 'MIIB', displayName: 'x', futureProperty: 1 },
            { keyId: 'b', key: null, displayName: 'y', customKeyIdentifier: 'ABC' },
        ]);

        // Act
        const sent = [readable, unreadable].map((record) => (record === undefined ? undefined : sendBack(record)));

        // Assess
        expect(sent).toEqual([
            { keyId: 'a', key: 'MIIB', displayName: 'x', futureProperty: 1 },
            { keyId: 'b', displayName: 'y', customKeyIdentifier: 'ABC' },
        ]);
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

    it('lists the keyIds lost by a write, except those removed on purpose', () => {
        // Prepare
        const before = parseKeyCredentials([{ keyId: 'a' }, { keyId: 'b' }, { keyId: 'c' }]);
        const after = parseKeyCredentials([{ keyId: 'a' }, { keyId: 'new' }]);

        // Act
        const lost = lostKeyIds(before, after, ['c']);

        // Assess
        expect(lost).toEqual(['b']);
    });
});

describe("the Graph stand-in's PATCH keyCredentials rules (pure)", () => {
    it('keeps the stored key of a keyId sent without one', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [asSent(stored())]);

        // Assess
        expect(outcome).toEqual({ ok: true, keyCredentials: [stored()] });
    });

    it('replaces the whole collection: a credential not sent is gone', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], []);

        // Assess
        expect(outcome).toEqual({ ok: true, keyCredentials: [] });
    });

    it.each([
        ['displayName', { displayName: 'CN=renamed' }],
        ['endDateTime', { endDateTime: '2030-01-01T00:00:00Z' }],
        ['usage', { usage: 'Sign' }],
        ['key', { key: certificate('other').derBase64 }],
    ])('rejects a changed %s on an existing keyId with Graph\'s text', (_field, change) => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [asSent(stored(), change)]);

        // Assess
        expect(outcome).toEqual({ ok: false, message: `Update to existing credential with KeyId '${KEY_ID}' is not allowed.` });
    });

    it('accepts the same instant written differently', () => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], [asSent(stored(), { endDateTime: stored().endDateTime.replace('Z', '.000Z') })]);

        // Assess
        expect(outcome.ok).toBe(true);
    });

    it.each([
        ['an end date past the certificate\'s', { endDateTime: new Date(certificate('fresh').notAfter.getTime() + 1000).toISOString() }, 'Key credential end date is invalid.'],
        ['a start date before the certificate\'s', { startDateTime: new Date(certificate('fresh').notBefore.getTime() - 1000).toISOString() }, 'Key credential start date is invalid.'],
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

    it.each([
        ['the same keyId twice', (): unknown[] => [asSent(stored()), asSent(stored())], /^Duplicate KeyId/],
        ['the same certificate twice', (): unknown[] => [asSent(stored()), { type: 'AsymmetricX509Cert', usage: 'Verify', key: stored().key }], /^Duplicate key credential/],
    ])('rejects %s', (_case, body, message) => {
        // Act
        const outcome = applyKeyCredentialsPatch([stored()], body());

        // Assess
        expect(outcome).toEqual({ ok: false, message: expect.stringMatching(message) as unknown });
    });
});
