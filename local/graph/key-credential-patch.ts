import { randomUUID } from 'node:crypto';
import { certificateFacts, graphDateTime, type StoredKeyCredential } from './directory-state';

export type PatchOutcome =
    | { readonly ok: true; readonly keyCredentials: StoredKeyCredential[] }
    | { readonly ok: false; readonly message: string };

export interface PatchPolicy {
    /** Which collection is written: the rules for an existing keyId differ (see applyKeyCredentialsPatch). */
    readonly collection?: 'servicePrincipals' | 'applications';
    /** Tenant app management policy: longest allowed key credential lifetime. */
    readonly maxLifetimeDays?: number;
}

/**
 * Sources of the rules below:
 * [KC] keyCredential resource type, learn.microsoft.com/graph/api/resources/keycredential
 * [HOWTO] "Add a certificate to an app using Microsoft Graph", learn.microsoft.com/graph/applications-how-to-add-certificate
 * [SP-UPDATE] Update servicePrincipal, learn.microsoft.com/graph/api/serviceprincipal-update (keyCredentials: "Not nullable")
 * [CSS-REMOVE] microsoft/CSS-Exchange Shared/GraphApiFunctions/Remove-CertificateFromAzureServicePrincipal.ps1:
 *   existing credentials of this service principal are sent back with key, type and usage only,
 *   "otherwise the PATCH call will fail".
 * [CSS-ADD] microsoft/CSS-Exchange Shared/GraphApiFunctions/Add-CertificateToAzureApplication.ps1: an
 *   application's existing credentials are sent back as a list read returns them (keyId, no key: [KC]
 *   says key is null outside a single-object $select) and the PATCH expects 204.
 * [KEYID] Azure/azure-powershell#6784 and #6855: an existing keyId sent back with different values is
 *   refused with "Update to existing credential with KeyId '<id>' is not allowed."
 * [END] Azure/azure-cli#11146 and its fix Azure/azure-cli#13769, Azure/azure-rest-api-specs#11985: an
 *   end date the directory does not accept is refused with "Key credential end date is invalid."
 * [USAGE] microsoftgraph/msgraph-sdk-java#1823: the text of a refused usage.
 * [POLICY] keyCredentialConfiguration (asymmetricKeyLifetime), learn.microsoft.com/graph/api/resources/keycredentialconfiguration
 */
const notAllowed = (keyId: string): PatchOutcome => ({ ok: false, message: `Update to existing credential with KeyId '${keyId}' is not allowed.` });
const endDateInvalid: PatchOutcome = { ok: false, message: 'Key credential end date is invalid.' };
const invalidCollection: PatchOutcome = { ok: false, message: "Invalid value specified for property 'keyCredentials' of resource 'KeyCredential'." };

/** An entry naming a stored keyId. */
function existingEntry(sent: Record<string, unknown>, existing: StoredKeyCredential, collection: PatchPolicy['collection']): PatchOutcome | StoredKeyCredential {
    // [CSS-REMOVE]: on this service principal only key, type and usage may be sent; a keyId is more.
    if (collection !== 'applications') return notAllowed(existing.keyId);
    // [CSS-ADD] sends the list read back (key null) and it is kept; [KEYID] a different key is refused.
    if (sent.key !== undefined && sent.key !== null && sent.key !== existing.key) return notAllowed(existing.keyId);
    return existing;
}

function newEntry(sent: Record<string, unknown>, policy: PatchPolicy, alreadyStored: ReadonlySet<string>): PatchOutcome | StoredKeyCredential {
    // [HOWTO]: adding a certificate takes its key (base64 DER); type and usage must be AsymmetricX509Cert and Verify.
    if (typeof sent.key !== 'string' || sent.key.length === 0) return { ok: false, message: 'Key credential must have a key value.' };
    if (sent.type !== 'AsymmetricX509Cert') return { ok: false, message: "Invalid value specified for property 'type' of resource 'KeyCredential'." };
    if (sent.usage !== 'Verify') return { ok: false, message: `The value for the property "usage" in one of your credentials is invalid. Acceptable values are Sign, Verify.` };
    const facts = certificateFacts(sent.key);
    if (facts === undefined) return { ok: false, message: 'Invalid certificate: Key value is invalid certificate' };
    // Dates not sent: the certificate's validity (the form [CSS-REMOVE] sends has none; Graph documents no other default).
    const start = typeof sent.startDateTime === 'string' ? Date.parse(sent.startDateTime) : facts.notBeforeMs;
    const end = typeof sent.endDateTime === 'string' ? Date.parse(sent.endDateTime) : facts.notAfterMs;
    // [END]: an end date past the certificate's own, or not after the start, is refused.
    if (Number.isNaN(start) || Number.isNaN(end) || end > facts.notAfterMs || end <= start) return endDateInvalid;
    // [POLICY] restricts credentials being added: a certificate already on the object is not new.
    if (policy.maxLifetimeDays !== undefined && !alreadyStored.has(facts.thumbprint) && end - start > policy.maxLifetimeDays * 86_400_000) return endDateInvalid;
    return {
        keyId: typeof sent.keyId === 'string' ? sent.keyId : randomUUID(),
        type: sent.type,
        usage: sent.usage,
        key: sent.key,
        // [KC]: "When not provided in the payload, defaults to the thumbprint of the certificate."
        customKeyIdentifier: typeof sent.customKeyIdentifier === 'string' ? sent.customKeyIdentifier : facts.thumbprint,
        // [KC]: "maximum length of 90 characters. Longer values are accepted but shortened."
        displayName: typeof sent.displayName === 'string' ? sent.displayName.slice(0, 90) : null,
        startDateTime: graphDateTime(start),
        endDateTime: graphDateTime(end),
    };
}

/**
 * Graph's PATCH semantics for keyCredentials: the sent collection replaces the stored one ([SP-UPDATE]);
 * a stored credential not sent is removed. An entry naming a stored keyId is refused on the service
 * principal ([CSS-REMOVE], [KEYID]) and kept as stored on an application ([CSS-ADD]); any other entry is
 * a new credential, re-created from its certificate.
 */
export function applyKeyCredentialsPatch(current: readonly StoredKeyCredential[], sent: unknown, policy: PatchPolicy = {}): PatchOutcome {
    if (!Array.isArray(sent)) return invalidCollection;
    const byKeyId = new Map(current.map((credential) => [credential.keyId, credential]));
    const alreadyStored = new Set(current.map((credential) => certificateFacts(credential.key)?.thumbprint ?? ''));
    const next: StoredKeyCredential[] = [];
    for (const entry of sent as unknown[]) {
        if (typeof entry !== 'object' || entry === null) return invalidCollection;
        const record = entry as Record<string, unknown>;
        const existing = typeof record.keyId === 'string' ? byKeyId.get(record.keyId) : undefined;
        const result = existing === undefined ? newEntry(record, policy, alreadyStored) : existingEntry(record, existing, policy.collection);
        if ('ok' in result) return result;
        // [KC]: keyId is "the unique identifier (GUID) for the key".
        if (next.some((other) => other.keyId === result.keyId)) return invalidCollection;
        next.push(result);
    }
    return { ok: true, keyCredentials: next };
}
