import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PermanentError } from '../errors';
import type { SharedSecret } from './signing';

/** Versioned HKDF info and GCM additional data: a new version gets a new string. */
export const SEAL_INFO_V1 = 'push-proxy-orchestrator/sealed-private-key/v1';

const SALT_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const sealedPrivateKeySchema = z.strictObject({
    version: z.literal(1),
    salt: z.base64().length(44),
    iv: z.base64().length(16),
    tag: z.base64().length(24),
    ciphertext: z.base64().min(4).max(1_000_000),
});

export type SealedPrivateKey = z.infer<typeof sealedPrivateKeySchema>;

/** A PFX and its password: the private key material that travels only sealed. */
export interface PrivateKeyMaterial {
    readonly pfx: Buffer;
    readonly password: string;
}

const plaintextSchema = z.strictObject({ pfx: z.base64(), password: z.string() });

function deriveKey(secret: SharedSecret, salt: Buffer): Buffer {
    const ikm = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    return Buffer.from(hkdfSync('sha256', ikm, salt, SEAL_INFO_V1, 32));
}

/** AES-256-GCM under a key derived by HKDF-SHA256 from the shared secret with a random salt. */
export function sealPrivateKey(material: PrivateKeyMaterial, secret: SharedSecret): SealedPrivateKey {
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(SEAL_INFO_V1, 'utf8'));
    const plaintext = Buffer.from(JSON.stringify({ pfx: material.pfx.toString('base64'), password: material.password }), 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    plaintext.fill(0);
    return {
        version: 1,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
    };
}

/** Opens a sealed key; a wrong secret or any altered byte gives PermanentError `seal_invalid`. */
export function unsealPrivateKey(sealed: SealedPrivateKey, secret: SharedSecret): PrivateKeyMaterial {
    let plaintext: Buffer;
    try {
        const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, Buffer.from(sealed.salt, 'base64')), Buffer.from(sealed.iv, 'base64'), {
            authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(SEAL_INFO_V1, 'utf8'));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } catch (error) {
        throw new PermanentError('seal_invalid', 'The sealed private key could not be opened: the shared secret differs or the data was altered.', {
            cause: error,
            remedy: 'Make sure the agent and the cloud side hold the same shared secret.',
        });
    }
    const parsed = plaintextSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    plaintext.fill(0);
    if (!parsed.success) throw new PermanentError('seal_invalid', 'The sealed private key has an unknown layout.');
    return { pfx: Buffer.from(parsed.data.pfx, 'base64'), password: parsed.data.password };
}
