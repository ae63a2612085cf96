import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../lib/errors';
import { type SealedPrivateKey, sealedPrivateKeySchema, sealPrivateKey, unsealPrivateKey } from '../../lib/protocol';
import { OTHER_SECRET, SHARED_SECRET } from './support/signed-requests';

const material = { pfx: randomBytes(2500), password: 'fresh-pfx-password-7Qk!' };

function flipFirstByte(base64: string): string {
    const bytes = Buffer.from(base64, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    return bytes.toString('base64');
}

describe('sealing private key material', () => {
    it('round-trips a PFX and its password under the shared secret', () => {
        // Prepare
        const sealed = sealPrivateKey(material, SHARED_SECRET);

        // Act
        const opened = unsealPrivateKey(sealed, SHARED_SECRET);

        // Assess
        expect(opened.pfx.equals(material.pfx)).toBe(true);
        expect(opened.password).toBe(material.password);
        expect(sealedPrivateKeySchema.safeParse(sealed).success).toBe(true);
    });

    it('never shows the password or the PFX in the sealed form, and seals differently each time', () => {
        // Act
        const first = sealPrivateKey(material, SHARED_SECRET);
        const second = sealPrivateKey(material, SHARED_SECRET);

        // Assess
        const text = JSON.stringify(first);
        expect(text).not.toContain(material.password);
        expect(text).not.toContain(material.pfx.toString('base64').slice(0, 40));
        expect(second.salt).not.toBe(first.salt);
        expect(second.ciphertext).not.toBe(first.ciphertext);
    });

    it.each<[string, (sealed: SealedPrivateKey) => SealedPrivateKey]>([
        ['a tampered ciphertext', (sealed) => ({ ...sealed, ciphertext: flipFirstByte(sealed.ciphertext) })],
        ['a tampered tag', (sealed) => ({ ...sealed, tag: flipFirstByte(sealed.tag) })],
        ['a tampered salt', (sealed) => ({ ...sealed, salt: flipFirstByte(sealed.salt) })],
        ['a tampered nonce', (sealed) => ({ ...sealed, iv: flipFirstByte(sealed.iv) })],
    ])('refuses %s', (_label, tamper) => {
        // Prepare
        const sealed = tamper(sealPrivateKey(material, SHARED_SECRET));

        // Act
        const open = () => unsealPrivateKey(sealed, SHARED_SECRET);

        // Assess
        expect(open).toThrow(PermanentError);
        expect(open).toThrow(/could not be opened/);
    });

    it('refuses to open under another shared secret, without revealing anything', () => {
        // Prepare
        const sealed = sealPrivateKey(material, SHARED_SECRET);

        // Act
        let caught: unknown;
        try {
            unsealPrivateKey(sealed, OTHER_SECRET);
        } catch (error) {
            caught = error;
        }

        // Assess
        expect(caught).toBeInstanceOf(PermanentError);
        expect((caught as PermanentError).code).toBe('seal_invalid');
        expect((caught as PermanentError).message).not.toContain(SHARED_SECRET);
        expect((caught as PermanentError).message).not.toContain(OTHER_SECRET);
    });
});
