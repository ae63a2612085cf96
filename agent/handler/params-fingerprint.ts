import { createHash } from 'node:crypto';

function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}

/**
 * Identifies what an operation id was used for, so the same id with other parameters is refused.
 * A sealed key is left out: a retried activity seals the same key again with a fresh salt, and the
 * thumbprint already names the certificate.
 */
export function paramsFingerprint(operation: string, params: unknown): string {
    let significant = params;
    if (operation === 'installCertificate' && params !== null && typeof params === 'object') {
        const { source, ...rest } = params as { source?: { kind?: unknown } } & Record<string, unknown>;
        significant = { ...rest, source: source?.kind === 'sealedPfx' ? { kind: 'sealedPfx' } : source };
    }
    return createHash('sha256').update(`${operation}\n${canonicalJson(significant)}`).digest('hex');
}
