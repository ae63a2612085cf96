import type { DurableEngine } from './durable-engine';
import { EventType, isSchedulingEvent, type HistoryEvent, type SchedulingEvent } from './history-events';
import { isTerminal, type DurableStore, type InstanceRecord } from './store';

/** Scheduling events of the current execution that have no completion in its history or inbox yet. */
export function outstandingWork(record: InstanceRecord): SchedulingEvent[] {
    const done = new Set<number>();
    const all: readonly HistoryEvent[] = [...record.history, ...record.inbox];
    for (const event of all) {
        if (event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed) done.add(event.TaskScheduledId);
        if (event.EventType === EventType.SubOrchestrationInstanceCompleted || event.EventType === EventType.SubOrchestrationInstanceFailed) done.add(event.TaskScheduledId);
        if (event.EventType === EventType.TimerFired) done.add(event.TimerId);
    }
    // A message sent to an entity was put in the entity's inbox in the episode's own commit: nothing is outstanding.
    return record.history.filter((event): event is SchedulingEvent => isSchedulingEvent(event) && event.EventType !== EventType.EventSent && !done.has(event.EventId));
}

/**
 * After a restart: re-run what each unfinished instance was waiting for, as the task hub's queues
 * would redeliver it (activities in flight run again: at-least-once), and process pending inboxes.
 */
export function resumeUnfinished(engine: DurableEngine, store: DurableStore): number {
    let resumed = 0;
    for (const record of [...store.instances()]) {
        if (isTerminal(record.runtimeStatus)) continue;
        resumed += 1;
        for (const event of outstandingWork(record)) engine.dispatch(record, event);
        if (record.inbox.length > 0) engine.requestEpisode(record.instanceId);
    }
    return resumed;
}
