import { randomUUID } from 'node:crypto';
import type { StandInResponse } from '../identity/https-stand-in';
import type { DirectoryObject, StoredKeyCredential } from './directory-state';

/** Graph's error body: {error: {code, message, innerError}}. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): StandInResponse {
    return {
        status,
        headers,
        body: { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } },
    };
}

/** Graph's messages for the token failures a resource server can find. */
export const UNAUTHENTICATED: Record<string, string> = {
    missing: 'Access token is empty.',
    malformed: 'IDX14100: JWT is not well formed.',
    signature: 'Access token validation failure.',
    audience: 'Access token validation failure. Invalid audience.',
    expired: 'Lifetime validation failed, the token is expired.',
    notYetValid: 'Lifetime validation failed, the token is not yet valid.',
};

/** An object as Graph shows it; keys of credentials only where `showKeys` (single object, $select=keyCredentials). */
export function serialiseObject(object: DirectoryObject, select: string | null, showKeys: boolean): Record<string, unknown> {
    const full: Record<string, unknown> = {
        id: object.id,
        appId: object.appId,
        displayName: object.displayName,
        keyCredentials: object.keyCredentials.map((credential) => serialiseCredential(credential, showKeys)),
    };
    if (select === null) return full;
    const fields = select.split(',').map((field) => field.trim());
    return Object.fromEntries(Object.entries(full).filter(([field]) => fields.includes(field)));
}

export function serialiseCredential(credential: StoredKeyCredential, showKeys: boolean): Record<string, unknown> {
    return {
        customKeyIdentifier: credential.customKeyIdentifier,
        displayName: credential.displayName,
        endDateTime: credential.endDateTime,
        // keyCredential docs: key is returned only on a single-object $select=keyCredentials, otherwise null.
        key: showKeys ? credential.key : null,
        keyId: credential.keyId,
        startDateTime: credential.startDateTime,
        type: credential.type,
        usage: credential.usage,
    };
}

