import type { KeyTarget } from './clouds';
import type { GraphScope, PublicCertificate } from './activities';
import type { Outcome } from './outcome';

/**
 * One writer per key target (DESIGN.md section 7, issue 16). Graph replaces the whole keyCredentials
 * collection on every PATCH, so two read-modify-writes of one key target that overlap lose a key.
 * Every change to a key target's keyCredentials therefore goes through its writer: a durable entity
 * (`keyCredentialWriter`, keyed by the target) that queues the changes, and a critical section on it
 * (durable-functions `context.df.lock`) inside which one orchestration at a time applies every queued
 * change in one read, one PATCH and one verifying read (a group commit).
 *
 * Why a critical section, not a lease the entity hands out: the extension offers JavaScript replay
 * schema V4, and with it critical sections, since 3.13.0 (Azure/azure-functions-durable-extension#3453;
 * the bundle [4.*, 5.0.0) of host.json takes the newest 3.x). A lock request waits in the entity's queue
 * and a waiter is woken by the grant itself ("Entity functions", learn.microsoft.com/azure/azure-functions/
 * durable/durable-functions-entities, "Critical sections"), where a lease would need polling on durable
 * timers (more history, and up to one polling period of delay per holder); a holder that fails releases in
 * its `finally`, and the extension releases what an orchestration still holds once its orchestrator returns
 * (TaskOrchestrationShim.cs `Execute`: ReleaseLocks), so no expiry is needed. A holder terminated or purged
 * inside the section keeps the lock: the product never terminates or purges a run (eslint/durable-client-
 * rules.mjs), and README "A key writer locked by a run that ended" gives the operator's release.
 *
 * Why the Graph calls are an activity, not the entity: durable-functions types an entity handler as
 * synchronous (types/entity.d.ts `EntityHandler`: `(context) => void`), an entity runs one operation at
 * a time so I/O inside it would stall every caller, and its operations get no retry policy. The entity
 * holds only state; the holder calls `graphApplyKeyChanges` (idempotent, retried by graphRetry).
 */
export const KEY_WRITER_ENTITY = 'keyCredentialWriter';

/** At most this many changes per write: keeps the activity's input under the 64 KB queue message limit (about 1.3 KB per certificate). */
export const KEY_WRITER_MAX_BATCH = 32;

/** Where a writer writes: the key target as found in the tenant. */
export interface KeyWriterTarget extends GraphScope {
    readonly keyTarget: KeyTarget;
    readonly objectId: string;
}

/** What to remove: as read earlier in the run (a write since may have re-created it under another keyId, so the thumbprint finds it then). */
export interface KeyRemoval {
    readonly keyId: string;
    readonly thumbprint: string;
    /** The product registered it (the tenant's record says its certificate is the product's). */
    readonly owned: boolean;
}

export type KeyChange = { readonly kind: 'register'; readonly certificate: PublicCertificate } | ({ readonly kind: 'remove' } & KeyRemoval);

export interface KeyChangeRequest {
    /** Unique per change: a GUID from the requesting orchestration (context.df.newGuid). */
    readonly requestId: string;
    readonly change: KeyChange;
}

export interface RegisterKeyResult {
    readonly keyId: string;
    readonly added: boolean;
    readonly before: readonly string[];
    readonly after: readonly string[];
}

export interface RemoveKeyResult {
    readonly removed: boolean;
    readonly after: readonly string[];
}

export type KeyChangeOutcome = Outcome<{ readonly kind: 'register'; readonly result: RegisterKeyResult } | { readonly kind: 'remove'; readonly result: RemoveKeyResult }>;

export interface KeyChangeResult {
    readonly requestId: string;
    readonly outcome: KeyChangeOutcome;
}

/** The writer's operations: their inputs and what they return. */
export interface KeyWriterOperations {
    /** Queues a change (again: harmless). */
    submit: { input: KeyChangeRequest; output: null };
    /** For the lock holder: its own result if another holder already applied its change, else the changes to apply now. */
    take: { input: { readonly requestId: string }; output: { readonly result: KeyChangeOutcome | null; readonly batch: readonly KeyChangeRequest[] } };
    /** For the lock holder: the results of a batch; they leave the queue and wait for their requesters. */
    complete: { input: { readonly results: readonly KeyChangeResult[] }; output: null };
    /** A requester's own result once applied (taken from the writer), or null while its change is queued. */
    collect: { input: { readonly requestId: string }; output: KeyChangeOutcome | null };
    /** A requester gives up its change (its run failed before the change was applied). */
    withdraw: { input: { readonly requestId: string }; output: null };
}

export type KeyWriterOperation = keyof KeyWriterOperations;

/** The writer's entity key: one per key target object in one cloud. */
export function keyWriterKey(target: KeyWriterTarget): string {
    const collection = target.keyTarget.kind === 'application' ? 'applications' : 'servicePrincipals';
    return `${target.cloud}:${collection}:${target.objectId.toLowerCase()}`;
}
