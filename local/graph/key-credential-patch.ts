import { randomUUID } from 'node:crypto';
import { certificateFacts, graphDateTime, type StoredKeyCredential } from './directory-state';

export type PatchOutcome =
    | { readonly ok: true; readonly keyCredentials: StoredKeyCredential[] }
    | { readonly ok: false; readonly message: string };

export interface PatchPolicy {
    /** Tenant app management policy: longest allowed key credential lifetime. */
    readonly maxLifetimeDays?: number;
}

const COMPARED_FIELDS = ['type', 'usage', 'displayName', 'customKeyIdentifier', 'startDateTime', 'endDateTime'] as const;
const DATE_FIELDS = new Set<string>(['startDateTime', 'endDateTime']);

const notAllowed = (keyId: string): PatchOutcome => ({ ok: false, message: `Update to existing credential with KeyId '${keyId}' is not allowed.` });
const endDateInvalid: PatchOutcome = { ok: false, message: 'Key credential end date is invalid.' };

function sameValue(field: string, sent: unknown, stored: unknown): boolean {
    if (DATE_FIELDS.has(field) && typeof sent === 'string' && typeof stored === 'string') return Date.parse(sent) === Date.parse(stored);
    return sent === stored;
}

function keepExisting(sent: Record<string, unknown>, existing: StoredKeyCredential): PatchOutcome | StoredKeyCredential {
    if (sent.key !== undefined && sent.key !== null && sent.key !== existing.key) return notAllowed(existing.keyId);
    for (const field of COMPARED_FIELDS) {
        if (field in sent && !sameValue(field, sent[field], existing[field])) return notAllowed(existing.keyId);
    }
    return existing;
}

function addNew(sent: Record<string, unknown>, policy: PatchPolicy): PatchOutcome | StoredKeyCredential {
    if (typeof sent.key !== 'string' || sent.key.length === 0) return { ok: false, message: 'Key credential must have a key value.' };
    if (sent.type !== 'AsymmetricX509Cert') return { ok: false, message: `Invalid value specified for property 'type' of resource 'KeyCredential'.` };
    if (sent.usage !== 'Verify') return { ok: false, message: `Invalid value specified for property 'usage' of resource 'KeyCredential'.` };
    const facts = certificateFacts(sent.key);
    if (facts === undefined) return { ok: false, message: 'Invalid certificate: Key value is invalid certificate' };
    const start = typeof sent.startDateTime === 'string' ? Date.parse(sent.startDateTime) : facts.notBeforeMs;
    const end = typeof sent.endDateTime === 'string' ? Date.parse(sent.endDateTime) : facts.notAfterMs;
    if (Number.isNaN(start) || start < facts.notBeforeMs) return { ok: false, message: 'Key credential start date is invalid.' };
    if (Number.isNaN(end) || end > facts.notAfterMs || end <= start) return endDateInvalid;
    if (policy.maxLifetimeDays !== undefined && end - start > policy.maxLifetimeDays * 86_400_000) return endDateInvalid;
    return {
        keyId: typeof sent.keyId === 'string' ? sent.keyId : randomUUID(),
        type: sent.type,
        usage: sent.usage,
        key: sent.key,
        customKeyIdentifier: typeof sent.customKeyIdentifier === 'string' ? sent.customKeyIdentifier : facts.thumbprint,
        displayName: typeof sent.displayName === 'string' ? sent.displayName.slice(0, 90) : null,
        startDateTime: graphDateTime(start),
        endDateTime: graphDateTime(end),
        keyReturned: true,
    };
}

/**
 * Graph's PATCH semantics for keyCredentials: the sent collection replaces the stored one. A credential
 * sent with an existing keyId keeps its stored key when none is sent, and may not change any field;
 * a credential with a new or no keyId is added; a stored credential not sent is removed.
 */
export function applyKeyCredentialsPatch(current: readonly StoredKeyCredential[], sent: unknown, policy: PatchPolicy = {}): PatchOutcome {
    if (!Array.isArray(sent)) return { ok: false, message: "Invalid value specified for property 'keyCredentials'." };
    const byKeyId = new Map(current.map((credential) => [credential.keyId, credential]));
    const next: StoredKeyCredential[] = [];
    for (const entry of sent as unknown[]) {
        if (typeof entry !== 'object' || entry === null) return { ok: false, message: "Invalid value specified for property 'keyCredentials'." };
        const record = entry as Record<string, unknown>;
        const existing = typeof record.keyId === 'string' ? byKeyId.get(record.keyId) : undefined;
        const result = existing === undefined ? addNew(record, policy) : keepExisting(record, existing);
        if ('ok' in result) return result;
        if (next.some((other) => other.keyId === result.keyId)) return { ok: false, message: `Duplicate KeyId '${result.keyId}' in keyCredentials.` };
        const sameKey = next.find((other) => other.key === result.key && other.usage === result.usage);
        if (sameKey !== undefined) return { ok: false, message: `Duplicate key credential: the certificate is already present with KeyId '${sameKey.keyId}'.` };
        next.push(result);
    }
    return { ok: true, keyCredentials: next };
}
