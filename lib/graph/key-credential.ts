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
 * The form in which an existing credential is sent back in a PATCH: its key, type and usage only.
 * Microsoft's own script for this service principal does exactly this ("Make sure to only pass these
 * three values, otherwise the PATCH call will fail": microsoft/CSS-Exchange
 * Shared/GraphApiFunctions/Remove-CertificateFromAzureServicePrincipal.ps1); sending a credential back
 * by keyId is refused with "Update to existing credential with KeyId ... is not allowed" when anything
 * differs (Azure/azure-powershell#6784, #6855). Graph re-creates each credential from its certificate:
 * a new keyId, customKeyIdentifier = thumbprint (keyCredential resource docs), so what was kept is
 * checked by thumbprint, never by keyId. A credential whose key Graph did not return cannot be sent
 * back at all: the write is refused before anything changes.
 */
export function sendBack(record: KeyCredentialRecord): Record<string, unknown> {
    if (record.key === null) {
        throw new PermanentError('graph_key_not_readable', `Microsoft Graph returned no key for key credential ${record.keyId}, so it cannot be kept by a write of keyCredentials: nothing was changed.`, {
            cause: new Error('key: null on the single-object $select=keyCredentials read'),
            remedy: 'Register the public key of this product\'s certificate on the key target by hand (Entra admin center, Certificates & secrets), then run the verification again.',
        });
    }
    return { key: record.key, type: record.type, usage: record.usage };
}

/** The thumbprint of the certificate a credential stands for: from its key, else its customKeyIdentifier. */
export function credentialThumbprint(record: KeyCredentialRecord): string | null {
    if (record.key !== null) return thumbprintOfDer(Buffer.from(record.key, 'base64'));
    const identifier = record.customKeyIdentifier;
    if (identifier === null) return null;
    if (/^[0-9A-Fa-f]{40}$/.test(identifier)) return identifier.toUpperCase();
    // Some writers store the raw 20-byte SHA-1 (base64 in JSON) rather than its hex text.
    const bytes = Buffer.from(identifier, 'base64');
    return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
}

/**
 * True when the credential is a Verify key for this certificate: by its key when readable, else by
 * its custom key identifier.
 */
export function isCredentialFor(record: KeyCredentialRecord, thumbprint: string): boolean {
    if (record.usage !== null && record.usage !== 'Verify') return false;
    return credentialThumbprint(record) === normaliseThumbprint(thumbprint);
}

export function isProductCredential(record: KeyCredentialRecord): boolean {
    return record.displayName?.startsWith(PRODUCT_CREDENTIAL_PREFIX) ?? false;
}

export function isExpired(record: KeyCredentialRecord, nowMs: number): boolean {
    return record.endDateTime !== null && Date.parse(record.endDateTime) < nowMs;
}

/** A credential's identity across writes: usage and certificate thumbprint (keyIds are re-assigned). */
function identity(record: KeyCredentialRecord): string {
    return `${record.usage ?? ''}:${credentialThumbprint(record) ?? `keyId:${record.keyId}`}`;
}

/**
 * The credentials present before and absent after a write, by certificate thumbprint computed from
 * each key (and usage), except those deliberately removed.
 */
export function lostCredentials(before: readonly KeyCredentialRecord[], after: readonly KeyCredentialRecord[], removed: readonly KeyCredentialRecord[] = []): KeyCredentialRecord[] {
    const present = new Set(after.map(identity));
    const gone = new Set(removed.map(identity));
    return before.filter((record) => !gone.has(identity(record)) && !present.has(identity(record)));
}

/** The credentials of `after` that stand for the same certificates as `kept`. */
export function sameCredentials(kept: readonly KeyCredentialRecord[], after: readonly KeyCredentialRecord[]): KeyCredentialRecord[] {
    const wanted = new Set(kept.map(identity));
    return after.filter((record) => wanted.has(identity(record)));
}
