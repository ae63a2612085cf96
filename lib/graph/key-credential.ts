import { thumbprintOfDer, normaliseThumbprint } from '../certificates/thumbprint';
import { PermanentError } from '../errors';

/** A key credential exactly as Graph returned it; `raw` keeps every property, known or not. */
export interface KeyCredentialRecord {
    readonly keyId: string;
    readonly type: string | null;
    readonly usage: string | null;
    /** base64 DER; null when Graph does not return it. */
    readonly key: string | null;
    readonly customKeyIdentifier: string | null;
    readonly displayName: string | null;
    readonly startDateTime: string | null;
    readonly endDateTime: string | null;
    readonly raw: Readonly<Record<string, unknown>>;
}

/** displayName prefix of the credentials this product adds; the only ones it removes unasked. */
export const PRODUCT_CREDENTIAL_PREFIX = 'push-proxy-orchestrator:';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function parseKeyCredentials(value: unknown): KeyCredentialRecord[] {
    if (!Array.isArray(value)) throw new PermanentError('graph-unexpected-response', 'Microsoft Graph returned no keyCredentials collection.', { cause: new Error(typeof value) });
    return (value as unknown[]).map((item) => {
        const raw = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
        const keyId = text(raw.keyId);
        if (keyId === null) throw new PermanentError('graph-unexpected-response', 'Microsoft Graph returned a key credential without keyId.', { cause: new Error('keyId missing') });
        return {
            keyId,
            type: text(raw.type),
            usage: text(raw.usage),
            key: text(raw.key),
            customKeyIdentifier: text(raw.customKeyIdentifier),
            displayName: text(raw.displayName),
            startDateTime: text(raw.startDateTime),
            endDateTime: text(raw.endDateTime),
            raw,
        };
    });
}

/**
 * The form in which an existing credential is sent back in a PATCH: every property exactly as read,
 * except a key Graph did not return (Graph keeps the stored key of a keyId sent without one).
 */
export function sendBack(record: KeyCredentialRecord): Record<string, unknown> {
    const { key, ...rest } = record.raw;
    return key === null || key === undefined ? rest : { ...rest, key };
}

/**
 * True when the credential is a Verify key for this certificate: by its key when readable, else by
 * its custom key identifier.
 */
export function isCredentialFor(record: KeyCredentialRecord, thumbprint: string): boolean {
    if (record.usage !== null && record.usage !== 'Verify') return false;
    const wanted = normaliseThumbprint(thumbprint);
    if (record.key !== null) return thumbprintOfDer(Buffer.from(record.key, 'base64')) === wanted;
    const identifier = record.customKeyIdentifier;
    if (identifier === null) return false;
    if (normaliseThumbprint(identifier) === wanted) return true;
    // Some writers store the raw 20-byte SHA-1 (base64 in JSON) rather than its hex text.
    const bytes = Buffer.from(identifier, 'base64');
    return bytes.length === 20 && bytes.toString('hex').toUpperCase() === wanted;
}

export function isProductCredential(record: KeyCredentialRecord): boolean {
    return record.displayName?.startsWith(PRODUCT_CREDENTIAL_PREFIX) ?? false;
}

export function isExpired(record: KeyCredentialRecord, nowMs: number): boolean {
    return record.endDateTime !== null && Date.parse(record.endDateTime) < nowMs;
}

/** keyIds present before and absent after, except those deliberately removed. */
export function lostKeyIds(before: readonly KeyCredentialRecord[], after: readonly KeyCredentialRecord[], removed: readonly string[] = []): string[] {
    const present = new Set(after.map((record) => record.keyId));
    return before.filter((record) => !removed.includes(record.keyId) && !present.has(record.keyId)).map((record) => record.keyId);
}
