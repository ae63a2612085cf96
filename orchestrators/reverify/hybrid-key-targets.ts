import type { OrchestrationContext, Task } from 'durable-functions';
import type { GraphScope, KeyCredentialSummary, PublicCertificate } from '../../lib/contracts/activities';
import type { InventoryView } from '../../lib/contracts/inventory';
import type { KeyWriterTarget } from '../../lib/contracts/key-writer';
import type { HybridApplicationRotation } from '../../lib/contracts/reverify';
import { callActivity } from '../activity-calls';
import { registerKeyCredential, removeKeyCredential } from '../key-writer/change-key-credentials';
import { unwrap } from '../run-failure';
import { hybridApplicationIds } from './hybrid-application';

const STEP = 'rotation';

/** A dedicated hybrid application the rotation gave the new key to, and the old certificate's key as read there before. */
export interface HybridKeyTarget {
    readonly target: KeyWriterTarget;
    readonly registeredKeyId: string;
    readonly oldKey: KeyCredentialSummary | undefined;
}

/** The dedicated hybrid applications that trust the Auth certificate besides the tenant's own key target, split by whether the product may write to them. */
export function otherHybridApplications(inventory: InventoryView, ownAppId: string | null, allowedAppIds: readonly string[]): { allowed: string[]; notAllowed: string[] } {
    const others = hybridApplicationIds(inventory).filter((appId) => appId !== ownAppId);
    const allowed = new Set(allowedAppIds.map((appId) => appId.toLowerCase()));
    return { allowed: others.filter((appId) => allowed.has(appId)), notAllowed: others.filter((appId) => !allowed.has(appId)) };
}

/**
 * Registers the new certificate's key on each allowed dedicated hybrid application, through that application's
 * key writer, before the certificate is published: Exchange signs its hybrid tokens for that application with the
 * current Auth certificate, so from the publish on Entra ID must know the new key there too (CSS-Exchange
 * docs/Hybrid/ConfigureExchangeHybridApplication.md, -UpdateCertificate "useful if the Auth Certificate has been renewed").
 */
export function* registerOnHybridApplications(
    context: OrchestrationContext,
    scope: GraphScope,
    appIds: readonly string[],
    certificate: PublicCertificate,
    oldThumbprint: string,
    step: (detail: string) => void,
): Generator<Task, HybridKeyTarget[], unknown> {
    const done: HybridKeyTarget[] = [];
    for (const appId of appIds) {
        step(`registering the key of ${certificate.thumbprint} on the dedicated hybrid application ${appId}`);
        const keyTarget = { kind: 'application', appId } as const;
        const found = unwrap(yield* callActivity(context, 'graphGetKeyTarget', { ...scope, keyTarget }), STEP);
        const target: KeyWriterTarget = { ...scope, keyTarget, objectId: found.objectId };
        const registration = unwrap(yield* registerKeyCredential(context, target, certificate), STEP);
        done.push({ target, registeredKeyId: registration.keyId, oldKey: found.keyCredentials.find((k) => k.thumbprint === oldThumbprint) });
    }
    return done;
}

/**
 * Removes the old certificate's key from a key target once the old certificate is current nowhere, when the key is the
 * product's: its certificate was created in Key Vault by the product, or the key still carried the product's displayName
 * when this run read it (every write re-creates kept credentials without it). Another's key is kept and returned.
 */
export function* removeOldKey(
    context: OrchestrationContext,
    target: KeyWriterTarget,
    old: { readonly keyId: string | null; readonly thumbprint: string; readonly certificateCreated: boolean; readonly addedByProduct: boolean; readonly newKeyId: string },
    step: (detail: string) => void,
): Generator<Task, { removedKeyId: string | null; keptKeyId: string | null }, unknown> {
    if (old.keyId === null || old.keyId === old.newKeyId) return { removedKeyId: null, keptKeyId: null };
    const owned = old.certificateCreated || old.addedByProduct;
    // A key someone else registered (a certificate onboarding reused) is theirs to remove: the rotation is done without it.
    if (!owned) return { removedKeyId: null, keptKeyId: old.keyId };
    step(`removing the key credential of ${old.thumbprint}${target.keyTarget.kind === 'application' ? ` from application ${target.keyTarget.appId}` : ''}`);
    const removal = unwrap(yield* removeKeyCredential(context, target, { keyId: old.keyId, thumbprint: old.thumbprint, owned }), STEP);
    return { removedKeyId: removal.removed ? old.keyId : null, keptKeyId: null };
}

/** Removes the old key from each hybrid application the rotation registered the new one on. */
export function* removeFromHybridApplications(
    context: OrchestrationContext,
    registered: readonly HybridKeyTarget[],
    oldThumbprint: string,
    certificateCreated: boolean,
    step: (detail: string) => void,
): Generator<Task, HybridApplicationRotation[], unknown> {
    const report: HybridApplicationRotation[] = [];
    for (const { target, registeredKeyId, oldKey } of registered) {
        const appId = target.keyTarget.kind === 'application' ? target.keyTarget.appId : '';
        const removal = yield* removeOldKey(
            context,
            target,
            { keyId: oldKey?.keyId ?? null, thumbprint: oldThumbprint, certificateCreated, addedByProduct: oldKey?.addedByProduct === true, newKeyId: registeredKeyId },
            step,
        );
        report.push({ appId, registeredKeyId, ...removal });
    }
    return report;
}
