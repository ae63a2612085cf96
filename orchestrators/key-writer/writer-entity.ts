import type { EntityContext } from 'durable-functions';
import { KEY_WRITER_MAX_BATCH, type KeyChangeOutcome, type KeyChangeRequest, type KeyWriterOperation, type KeyWriterOperations } from '../../lib/contracts/key-writer';

/** The writer's state: queued changes, and results applied but not yet collected by their requesters. */
export interface KeyWriterState {
    readonly queued: readonly KeyChangeRequest[];
    readonly results: Readonly<Record<string, KeyChangeOutcome>>;
}

const EMPTY: KeyWriterState = { queued: [], results: {} };

type Handlers = { [K in KeyWriterOperation]: (state: KeyWriterState, input: KeyWriterOperations[K]['input']) => [KeyWriterState, KeyWriterOperations[K]['output']] };

/**
 * The operations, as pure functions of the state: the entity runs one at a time per key target
 * (learn.microsoft.com/azure/azure-functions/durable/durable-functions-entities: "operations on
 * an entity are processed serially"), and a lock holder's take / complete pair runs inside its
 * critical section, so no two holders ever apply changes at once.
 */
export const KEY_WRITER_HANDLERS: Handlers = {
    submit(state, request) {
        if (state.queued.some((queued) => queued.requestId === request.requestId) || request.requestId in state.results) return [state, null];
        return [{ ...state, queued: [...state.queued, request] }, null];
    },
    take(state, { requestId }) {
        const mine = state.results[requestId];
        if (mine !== undefined) {
            const { [requestId]: _taken, ...results } = state.results;
            return [{ ...state, results }, { result: mine, batch: [] }];
        }
        return [state, { result: null, batch: state.queued.slice(0, KEY_WRITER_MAX_BATCH) }];
    },
    complete(state, { results }) {
        const done = new Set(results.map((result) => result.requestId));
        const collected = { ...state.results };
        for (const result of results) collected[result.requestId] = result.outcome;
        return [{ queued: state.queued.filter((queued) => !done.has(queued.requestId)), results: collected }, null];
    },
    collect(state, { requestId }) {
        const mine = state.results[requestId];
        if (mine === undefined) return [state, null];
        const { [requestId]: _collected, ...results } = state.results;
        return [{ ...state, results }, mine];
    },
    withdraw(state, { requestId }) {
        const { [requestId]: _dropped, ...results } = state.results;
        return [{ queued: state.queued.filter((queued) => queued.requestId !== requestId), results }, null];
    },
};

function isOperation(name: string | undefined): name is KeyWriterOperation {
    return name !== undefined && Object.hasOwn(KEY_WRITER_HANDLERS, name);
}

/** The entity function (df.app.entity): one instance per key target (lib/contracts/key-writer.ts). */
export function keyCredentialWriter(context: EntityContext<KeyWriterState>): void {
    const operation = context.df.operationName;
    if (!isOperation(operation)) throw new Error(`keyCredentialWriter has no operation '${operation ?? ''}'`);
    const state = context.df.getState(() => EMPTY) ?? EMPTY;
    const handler = KEY_WRITER_HANDLERS[operation] as (state: KeyWriterState, input: unknown) => [KeyWriterState, unknown];
    const [next, output] = handler(state, context.df.getInput());
    context.df.setState(next);
    context.df.return(output);
}
