import type { KnownSecret, SecretFinding } from './scan-types';

type Detection = Omit<SecretFinding, 'source'>;

const SHORTEST = 8;
const WINDOW = 48;

/**
 * The forms a value takes when written into text: as is, JSON-escaped, URL-encoded, base64url, and
 * the start of a long value (a truncated dump). Not its middle: the middle of a PFX holds its
 * public certificate, which may appear anywhere.
 */
function formsOf(value: string): string[] {
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]);
    if (value.length >= WINDOW * 2) forms.add(value.slice(0, WINDOW));
    return [...forms].filter((form) => form.length >= SHORTEST);
}

const formsCache = new WeakMap<KnownSecret, string[]>();

function cachedForms(secret: KnownSecret): string[] {
    let forms = formsCache.get(secret);
    if (forms === undefined) {
        forms = formsOf(secret.value);
        formsCache.set(secret, forms);
    }
    return forms;
}

/** Occurrences of the world's own secrets, by value. */
export function* knownValueDetections(text: string, known: readonly KnownSecret[]): Generator<Detection> {
    for (const secret of known) {
        for (const form of cachedForms(secret)) {
            const at = text.indexOf(form);
            if (at < 0) continue;
            yield { kind: secret.kind, how: `the ${secret.label}${form === secret.value ? '' : ' (encoded or in part)'}`, at };
            break;
        }
    }
}
