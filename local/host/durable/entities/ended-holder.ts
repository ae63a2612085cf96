import { EventType, type HistoryEvent, type InboundEvent } from '../history-events';
import { isTerminal, type InstanceRecord } from '../store';
import type { ReleaseMessage, RequestMessage } from './entity-messages';

/*
 * What Durable Functions does with the locks of an orchestration that ends inside its critical
 * section, for the extension the product targets (3.x, JavaScript through OutOfProcOrchestrationShim,
 * replay schema V4; Azure/azure-functions-durable-extension#3453 maps durable-functions' LockEntities
 * to `LockAsync` and ReleaseEntities to `ReleaseLocks`):
 * - it returns (completed, or continued as new): released. TaskOrchestrationShim.cs `Execute` calls
 *   `context.ReleaseLocks()` once the user code has returned, "just in case the application code did
 *   not do so already";
 * - it fails: kept. The failure propagates out of `InvokeUserCodeAndHandleResults` past that call;
 *   only a release the orchestrator sent itself (durable-functions `lock.release()` in a `finally`)
 *   reaches the entity, because ScheduleDurableTaskEvents replays the actions before it throws;
 * - it is terminated (the HTTP API's terminate, DurableClient `TerminateAsync`) or purged: kept.
 *   DurableTask.Core completes it as Terminated (TaskOrchestrationContext.cs
 *   `HandleExecutionTerminatedEvent`) while its unfinished orchestrator waits forever
 *   (OutOfProcOrchestrationShim.cs `HandleDurableTaskReplay`: `Task.Delay(Timeout.Infinite)`), so
 *   nothing sends a release.
 * The entity never looks at its holder: it stays locked, and every call and lock request from another
 * instance waits in its queue (DurableTaskExtension.cs entity middleware, SchedulerState.cs
 * `MayDequeue`) until a release naming the holder arrives. The extension's own remedy sends exactly
 * that release (DurableClient.cs `CleanEntityStorageLegacyAsync`, `CheckForOrphanedLockAndFixIt`:
 * `ReleaseMessage { parent: <holder>, id: "fix-orphaned-lock" }` raised as the event `release`);
 * IDurableEntityClient.cs `CleanEntityStorageAsync` names nondeterminism failures and purges as
 * causes of such orphaned locks. durable-functions' client has no CleanEntityStorage; the HTTP API's raiseEvent sends the
 * same message to the entity (HttpApiHandler.cs `HandleRaiseEventRequestAsync`: an entity instance
 * is Running).
 */

/** The locks an execution asked for and did not release: lock request id and lock set. */
export function unreleasedLocks(history: readonly HistoryEvent[]): { readonly id: string; readonly lockset: readonly string[]; readonly granted: boolean }[] {
    const released = new Set<string>();
    const granted = new Set<string>();
    const requested: { id: string; lockset: readonly string[] }[] = [];
    for (const event of history) {
        if (event.EventType === EventType.EventRaised) granted.add(event.Name);
        if (event.EventType !== EventType.EventSent) continue;
        const message = JSON.parse(event.Input ?? 'null') as Partial<RequestMessage> | null;
        if (typeof message?.id !== 'string') continue;
        if (event.Name === 'release') released.add(message.id);
        else if (message.lockset !== undefined) requested.push({ id: message.id, lockset: message.lockset });
    }
    return requested.filter((lock) => !released.has(lock.id)).map((lock) => ({ ...lock, granted: granted.has(lock.id) }));
}

/**
 * How the holder of an entity's lock ended without releasing it ('purged' when its instance is
 * gone), or undefined while it runs (a new execution under the same instance id counts as the
 * holder, as SchedulerState.cs `MayDequeue` compares instance ids) or its release is on the way.
 */
export function endedWithoutRelease(holder: InstanceRecord | undefined, holderId: string, entityInbox: readonly InboundEvent[]): string | undefined {
    if (holder && !isTerminal(holder.runtimeStatus)) return undefined;
    const releasing = entityInbox.some(
        (event) => event.EventType === EventType.EventRaised && event.Name === 'release' && (JSON.parse(event.Input ?? 'null') as Partial<ReleaseMessage> | null)?.parent === holderId,
    );
    if (releasing) return undefined;
    return holder ? holder.runtimeStatus : 'purged';
}

/** Why a waiter behind an ended holder would wait forever on Azure, and how an operator frees the entity. */
export function waitsForeverBehind(entityId: string, waiter: RequestMessage, holderId: string, holderEnd: string): string {
    const what = waiter.lockset !== undefined ? `its lock request on entity '${entityId}'` : `its call '${waiter.op ?? ''}' to entity '${entityId}'`;
    return (
        `${what} waits behind the lock of '${holderId}', which ended (${holderEnd}) inside its critical section without releasing it. ` +
        'Durable Functions releases an orchestration\'s locks only when its orchestrator function returns (azure-functions-durable-extension ' +
        'TaskOrchestrationShim.cs `Execute`: ReleaseLocks after the user code), never for a failed, terminated or purged holder, so the entity stays ' +
        `locked forever. An operator frees it with the release the extension's orphaned-lock cleanup sends (DurableClient.cs CleanEntityStorage): ` +
        `POST /runtime/webhooks/durabletask/instances/${entityId}/raiseEvent/release with {"parent":"${holderId}","id":"fix-orphaned-lock"}`
    );
}
