import type { ReplyEnvelope } from '../../lib/protocol';
import type { OperationStore } from './operation-store';

/** A reply ready to send: HTTP status and envelope. */
export interface OperationReply {
    readonly status: number;
    readonly envelope: ReplyEnvelope;
    /** False for transient failures: they are not stored, so the retry runs the operation again. */
    readonly storable: boolean;
}

export type RunOutcome =
    | { readonly kind: 'ran'; readonly reply: OperationReply }
    | { readonly kind: 'stored'; readonly reply: OperationReply }
    | { readonly kind: 'in_progress' }
    | { readonly kind: 'conflict' };

interface InFlight {
    readonly paramsHash: string;
    readonly done: Promise<OperationReply>;
}

export interface RunRequest {
    readonly operationId: string;
    readonly operation: string;
    readonly paramsHash: string;
    readonly execute: () => Promise<OperationReply>;
    /** Answer `in_progress` if the operation has not finished by then; it goes on in the background. */
    readonly replyWithinMs: number;
    /** Called when an operation that outlived its request finishes. */
    readonly onBackgroundCompletion?: (reply: OperationReply) => Promise<void>;
}

/** Runs each operation id at most once: a repeat gets the stored reply, a concurrent one `in_progress`. */
export class IdempotentRunner {
    private readonly inFlight = new Map<string, InFlight>();
    private readonly backgroundNotices = new Set<Promise<void>>();

    constructor(
        private readonly store: OperationStore,
        private readonly now: () => number,
        private readonly onStoreError: (error: unknown) => void = () => undefined,
    ) {}

    async run(request: RunRequest): Promise<RunOutcome> {
        const stored = this.store.find(request.operationId);
        if (stored !== undefined) {
            if (stored.paramsHash !== request.paramsHash || stored.operation !== request.operation) return { kind: 'conflict' };
            return { kind: 'stored', reply: { status: stored.status, envelope: stored.reply, storable: true } };
        }
        const running = this.inFlight.get(request.operationId);
        if (running !== undefined) return running.paramsHash === request.paramsHash ? { kind: 'in_progress' } : { kind: 'conflict' };

        const done = this.executeAndStore(request);
        this.inFlight.set(request.operationId, { paramsHash: request.paramsHash, done });
        const settled = done.finally(() => this.inFlight.delete(request.operationId));

        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
            timer = setTimeout(() => resolve('deadline'), request.replyWithinMs);
        });
        const first = await Promise.race([settled, deadline]);
        clearTimeout(timer);
        if (first === 'deadline') {
            const notice: Promise<void> = settled
                .then((reply) => request.onBackgroundCompletion?.(reply))
                .catch(() => undefined)
                .finally(() => this.backgroundNotices.delete(notice));
            this.backgroundNotices.add(notice);
            return { kind: 'in_progress' };
        }
        return { kind: 'ran', reply: first };
    }

    /** Resolves when no operation is running (for shutdown and tests). */
    async whenIdle(): Promise<void> {
        while (this.inFlight.size > 0 || this.backgroundNotices.size > 0) {
            await Promise.allSettled([...[...this.inFlight.values()].map((entry) => entry.done), ...this.backgroundNotices]);
        }
    }

    private async executeAndStore(request: RunRequest): Promise<OperationReply> {
        const reply = await request.execute();
        if (!reply.storable) return reply;
        try {
            await this.store.save(request.operationId, {
                operation: request.operation,
                paramsHash: request.paramsHash,
                completedAtMs: this.now(),
                status: reply.status,
                reply: reply.envelope,
            });
        } catch (error) {
            // The operation did run; its reply still goes out. A repeat will run it again (operations are idempotent).
            this.onStoreError(error);
        }
        return reply;
    }
}
