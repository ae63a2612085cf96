import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { PublicCertificate } from '../../lib/contracts/activities';
import {
    KEY_WRITER_ENTITY,
    keyWriterKey,
    type KeyChange,
    type KeyChangeOutcome,
    type KeyRemoval,
    type KeyWriterOperation,
    type KeyWriterOperations,
    type KeyWriterTarget,
    type RegisterKeyResult,
    type RemoveKeyResult,
} from '../../lib/contracts/key-writer';
import type { Outcome } from '../../lib/contracts/outcome';
import { callActivity } from '../activity-calls';

function* callWriter<K extends KeyWriterOperation>(
    context: OrchestrationContext,
    writer: df.EntityId,
    operation: K,
    input: KeyWriterOperations[K]['input'],
): Generator<Task, KeyWriterOperations[K]['output'], unknown> {
    return (yield context.df.callEntity(writer, operation, input)) as KeyWriterOperations[K]['output'];
}

/**
 * Changes the key target's keyCredentials through its writer: queues the change, enters the
 * writer's critical section, and there either finds its change already applied (by the holder
 * before it, in the same batch) or applies every queued change itself in one group commit, then
 * leaves. The lock is released whatever happens (durable-functions `lock`: try/finally), and a
 * change whose run fails before it was applied is withdrawn.
 */
function* change(context: OrchestrationContext, target: KeyWriterTarget, keyChange: KeyChange): Generator<Task, KeyChangeOutcome, unknown> {
    const writer = new df.EntityId(KEY_WRITER_ENTITY, keyWriterKey(target));
    const requestId = context.df.newGuid(context.df.instanceId);
    yield* callWriter(context, writer, 'submit', { requestId, change: keyChange });
    let mine: KeyChangeOutcome | null = null;
    const lock = (yield context.df.lock(writer)) as { release(): void };
    try {
        while (mine === null) {
            const taken = yield* callWriter(context, writer, 'take', { requestId });
            if (taken.result !== null) {
                mine = taken.result;
                break;
            }
            if (!taken.batch.some((request) => request.requestId === requestId) && taken.batch.length === 0) {
                throw new Error(`the key writer of ${keyWriterKey(target)} holds neither the change ${requestId} nor its result`);
            }
            const applied = yield* callActivity(context, 'graphApplyKeyChanges', { ...target, changes: taken.batch });
            const results = applied.ok ? applied.value.results : taken.batch.map((request) => ({ requestId: request.requestId, outcome: applied }));
            yield* callWriter(context, writer, 'complete', { results });
            // Another batch may be queued before this one's change: take again until it has been applied.
        }
    } finally {
        try {
            if (mine === null) yield* callWriter(context, writer, 'withdraw', { requestId });
        } finally {
            // Released even when the withdrawal itself fails: a lock left held blocks every later writer of this key target.
            lock.release();
        }
    }
    return mine;
}

export function* registerKeyCredential(context: OrchestrationContext, target: KeyWriterTarget, certificate: PublicCertificate): Generator<Task, Outcome<RegisterKeyResult>, unknown> {
    const outcome = yield* change(context, target, { kind: 'register', certificate });
    if (!outcome.ok) return outcome;
    if (outcome.value.kind !== 'register') throw new Error('the key writer answered a registration with another kind of result');
    return { ok: true, value: outcome.value.result };
}

export function* removeKeyCredential(context: OrchestrationContext, target: KeyWriterTarget, removal: KeyRemoval): Generator<Task, Outcome<RemoveKeyResult>, unknown> {
    const outcome = yield* change(context, target, { kind: 'remove', ...removal });
    if (!outcome.ok) return outcome;
    if (outcome.value.kind !== 'remove') throw new Error('the key writer answered a removal with another kind of result');
    return { ok: true, value: outcome.value.result };
}
