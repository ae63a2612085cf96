/**
 * Removes secrets from anything that is about to be logged, stored or returned.
 * Two nets: property names that hold secrets, and value shapes that are secrets wherever they appear.
 */
const SECRET_KEY_PATTERN = /(password|passphrase|secret|sharedaccesskey|saskey|accountkey|privatekey|pfx|token|authorization|sealed|apikey|functionkey|^key$|^code$)/i;

const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    /SharedAccessSignature [^\s"']+/g,
    /Bearer [A-Za-z0-9\-_.~+/]+=*/g,
    /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    /(SharedAccessKey|AccountKey)=[^;"'\s]+/gi,
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
    let out = text;
    for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
    return out;
}

export function redact(value: unknown, depth = 0): unknown {
    if (depth > 12) return '[truncated]';
    if (typeof value === 'string') return redactText(value);
    if (value instanceof Error) {
        return { name: value.name, message: redactText(value.message), ...(value.cause === undefined ? {} : { cause: redact(value.cause, depth + 1) }) };
    }
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
    if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = SECRET_KEY_PATTERN.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' && typeof v !== 'number' ? REDACTED : redact(v, depth + 1);
        }
        return out;
    }
    return value;
}
