import type { HistoryEvent, InboundEvent, RuntimeStatus } from './history-events';

export interface ParentLink {
    readonly instanceId: string;
    /** The EventId of the parent's SubOrchestrationInstanceCreated event. */
    readonly taskScheduledId: number;
    readonly executionId: string;
}

/**
 * One orchestration instance: its status row and the history of its current execution, plus the
 * inbox of events received but not yet given to an orchestrator episode (the control queue).
 * Inputs, outputs and custom status are JSON text, as the task hub stores them.
 */
export interface InstanceRecord {
    readonly instanceId: string;
    name: string;
    executionId: string;
    runtimeStatus: RuntimeStatus;
    input: string | null;
    output: string | null;
    customStatus: string | null;
    createdTime: number;
    lastUpdatedTime: number;
    parent: ParentLink | undefined;
    /** A failed instance's failure details as its parent reads them ("Message: …, StackTrace: …"). */
    failureDetails?: string;
    history: HistoryEvent[];
    inbox: InboundEvent[];
}

/**
 * The task hub. Synchronous on purpose: the host commits each orchestrator episode in one
 * synchronous step, so stopping the host between steps never leaves half an episode behind.
 */
export interface DurableStore {
    get(instanceId: string): InstanceRecord | undefined;
    /** Inserts or replaces the record (the commit point for everything changed on it). */
    put(record: InstanceRecord): void;
    delete(instanceId: string): boolean;
    /** Every instance, oldest first. */
    instances(): Iterable<InstanceRecord>;
}

export class InMemoryDurableStore implements DurableStore {
    private readonly records = new Map<string, InstanceRecord>();

    get(instanceId: string): InstanceRecord | undefined {
        return this.records.get(instanceId);
    }

    put(record: InstanceRecord): void {
        this.records.set(record.instanceId, record);
    }

    delete(instanceId: string): boolean {
        return this.records.delete(instanceId);
    }

    instances(): Iterable<InstanceRecord> {
        return this.records.values();
    }
}

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export function isTerminal(status: RuntimeStatus): boolean {
    return TERMINAL_STATUSES.has(status);
}
