import type { KeyCredentialSummary, KeyTargetSummary } from '../lib/contracts/activities';
import type { KeyTarget } from '../lib/contracts/clouds';
import { keyTargetRefusal } from '../lib/contracts/key-target-allowlist';
import { PermanentError } from '../lib/errors';
import type { KeyCredentialRecord, ResolvedKeyTarget } from '../lib/graph';
import { credentialThumbprint, isProductCredential } from '../lib/graph/key-credential';

export function summarizeCredential(record: KeyCredentialRecord): KeyCredentialSummary {
    return {
        keyId: record.keyId,
        thumbprint: credentialThumbprint(record),
        displayName: record.displayName,
        startDateTime: record.startDateTime,
        endDateTime: record.endDateTime,
        usage: record.usage,
        type: record.type,
        addedByProduct: isProductCredential(record),
    };
}

export function summarizeKeyTarget(target: ResolvedKeyTarget, credentials: readonly KeyCredentialRecord[]): KeyTargetSummary {
    return { objectId: target.objectId, kind: target.kind, appId: target.appId, displayName: target.displayName, keyCredentials: credentials.map(summarizeCredential) };
}

/** The resolved target from what the lookup returned earlier in the run (no second lookup). */
export function resolvedTarget(keyTarget: KeyTarget, summary: { readonly objectId: string; readonly appId?: string; readonly displayName?: string }): ResolvedKeyTarget {
    return {
        kind: keyTarget.kind,
        collection: keyTarget.kind === 'application' ? 'applications' : 'servicePrincipals',
        objectId: summary.objectId,
        appId: summary.appId ?? (keyTarget.kind === 'application' ? keyTarget.appId : ''),
        displayName: summary.displayName ?? summary.objectId,
    };
}

/**
 * Refuses, before any Graph call, a key target the administrator did not allow: the HTTP API
 * refuses it already; this holds for a run started any other way (a registry record written before
 * the allowlist, an instance started through the durable API).
 */
export function assertAllowedKeyTarget(keyTarget: KeyTarget, allowedAppIds: readonly string[]): void {
    const refusal = keyTargetRefusal(keyTarget, allowedAppIds);
    if (refusal !== null) throw new PermanentError('key_target_not_allowed', refusal.reason, { remedy: refusal.remedy });
}
