import { sealedPrivateKeySchema, unsealPrivateKey } from '../../../lib/protocol';
import type { KnownSecret, SecretFinding, SecretKind } from './scan-types';

type Detection = Omit<SecretFinding, 'source'>;

/** Property names that only ever hold a secret, by the kind of secret they hold (compared lower-case). */
const SECRET_PROPERTIES: ReadonlyMap<string, SecretKind> = new Map([
    ['password', 'pfxPassword'],
    ['passphrase', 'pfxPassword'],
    ['pfxpassword', 'pfxPassword'],
    ['pfx', 'pfx'],
    ['pfxbase64', 'pfx'],
    ['sealed', 'sealedPrivateKey'],
    ['privatekey', 'privateKey'],
    ['privatekeypem', 'privateKey'],
    ['sharedsecret', 'sharedSecret'],
    ['saskey', 'sasKey'],
    ['sharedaccesskey', 'sasKey'],
    ['accesstoken', 'bearerToken'],
    ['access_token', 'bearerToken'],
]);

const REDACTED = new Set(['[redacted]', '']);
const MAX_DEPTH = 24;

function holdsValue(value: unknown): boolean {
    if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number') return false;
    return typeof value !== 'string' || !REDACTED.has(value);
}

/** JSON nested in a string (history inputs and outputs are JSON text), or undefined. */
function nestedJson(text: string): unknown {
    const trimmed = text.trim();
    if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
    try {
        return JSON.parse(trimmed) as unknown;
    } catch {
        return undefined;
    }
}

/** Every JSON document in a text: the whole text, or each line of JSON lines. */
export function jsonDocuments(text: string): unknown[] {
    const whole = nestedJson(text);
    if (whole !== undefined) return [whole];
    return text.split('\n').flatMap((line) => {
        const parsed = nestedJson(line);
        return parsed === undefined ? [] : [parsed];
    });
}

function sealedDetection(value: object, text: string, sharedSecrets: readonly KnownSecret[]): Detection | undefined {
    const sealed = sealedPrivateKeySchema.safeParse(value);
    if (!sealed.success) return undefined;
    const opener = sharedSecrets.find((secret) => {
        try {
            unsealPrivateKey(sealed.data, secret.value);
            return true;
        } catch {
            return false;
        }
    });
    return { kind: 'sealedPrivateKey', how: `sealed PFX${opener === undefined ? '' : ` (opens with the ${opener.label})`}`, at: text.indexOf('"ciphertext"') };
}

/**
 * Secrets recognised by where they sit in JSON: properties named for a secret that hold a value, and
 * sealed PFX envelopes (the agent protocol's {version, salt, iv, tag, ciphertext}) under any name.
 */
export function* jsonDetections(text: string, sharedSecrets: readonly KnownSecret[]): Generator<Detection> {
    const visit = function* (value: unknown, depth: number): Generator<Detection> {
        if (depth > MAX_DEPTH) return;
        if (typeof value === 'string') {
            const nested = nestedJson(value);
            if (nested !== undefined) yield* visit(nested, depth + 1);
            return;
        }
        if (typeof value !== 'object' || value === null) return;
        if (Array.isArray(value)) {
            for (const item of value) yield* visit(item, depth + 1);
            return;
        }
        const sealed = sealedDetection(value, text, sharedSecrets);
        if (sealed !== undefined) yield sealed;
        for (const [key, child] of Object.entries(value)) {
            const kind = SECRET_PROPERTIES.get(key.toLowerCase()) ?? (/password|passphrase/i.test(key) ? 'pfxPassword' : undefined);
            if (kind !== undefined && holdsValue(child)) yield { kind, how: `property "${key}" holds a value`, at: text.indexOf(`"${key}"`) };
            yield* visit(child, depth + 1);
        }
    };
    for (const document of jsonDocuments(text)) yield* visit(document, 0);
}
