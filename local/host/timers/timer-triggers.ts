import type { Logger } from '../../../lib/logger';
import type { RegisteredFunction } from '../worker/functions-core';
import type { LoadedApp } from '../worker/load-app';
import type { TimedHandle, WorkScheduler } from '../work-scheduler';
import { parseSchedule, resolveScheduleSetting, type Schedule } from './ncrontab';
import { timerInfo } from './timer-info';

export interface TimerTriggerDeps {
    readonly app: LoadedApp;
    readonly scheduler: WorkScheduler;
    readonly now: () => number;
    readonly logger: Logger;
    readonly env: NodeJS.ProcessEnv;
    readonly fire: (fn: RegisteredFunction, timer: Record<string, unknown>) => Promise<void>;
}

interface ScheduledTimer {
    readonly fn: RegisteredFunction;
    readonly schedule: Schedule;
    readonly monitored: boolean;
}

/** useMonitor defaults to true for schedules whose occurrences are at least a minute apart. */
function isMinuteOrLonger(schedule: Schedule, from: number): boolean {
    const first = schedule.next(from);
    return schedule.next(first) - first >= 60_000;
}

/** An invocation later than this after its occurrence reports `isPastDue`. */
const PAST_DUE_AFTER_MS = 1000;

/**
 * Fires every timer trigger on its schedule against the host clock. Occurrences never drive a
 * virtual clock by themselves: they fire when durable timers or the test move the clock past them.
 * When the clock jumps over several occurrences, one invocation runs with `isPastDue`, as after a
 * host outage.
 */
export class TimerTriggers {
    private readonly handles = new Map<string, TimedHandle>();
    private stopped = false;

    constructor(private readonly deps: TimerTriggerDeps) {}

    start(): void {
        for (const fn of this.deps.app.functions) {
            if (fn.triggerType.toLowerCase() !== 'timertrigger') continue;
            const schedule = parseSchedule(resolveScheduleSetting(typeof fn.trigger.schedule === 'string' ? fn.trigger.schedule : '', this.deps.env));
            const timer: ScheduledTimer = { fn, schedule, monitored: typeof fn.trigger.useMonitor === 'boolean' ? fn.trigger.useMonitor : isMinuteOrLonger(schedule, this.deps.now()) };
            if (fn.trigger.runOnStartup === true) this.invoke(timer, undefined);
            this.scheduleAfter(timer, this.deps.now());
        }
    }

    stop(): void {
        this.stopped = true;
        for (const handle of this.handles.values()) handle.cancel();
        this.handles.clear();
    }

    private scheduleAfter(timer: ScheduledTimer, after: number): void {
        if (this.stopped) return;
        const at = timer.schedule.next(after);
        this.handles.set(
            timer.fn.name,
            this.deps.scheduler.schedule({
                at,
                drivesClock: false,
                fire: () => {
                    this.invoke(timer, at);
                    this.scheduleAfter(timer, Math.max(at, this.deps.now()));
                },
            }),
        );
    }

    private invoke(timer: ScheduledTimer, occurrence: number | undefined): void {
        const now = this.deps.now();
        const isPastDue = occurrence !== undefined && now - occurrence > PAST_DUE_AFTER_MS;
        const status = timer.monitored && occurrence !== undefined ? { last: occurrence, next: timer.schedule.next(Math.max(now, occurrence)), lastUpdated: now } : undefined;
        this.deps.fire(timer.fn, timerInfo(status, isPastDue)).catch((error: unknown) => {
            this.deps.logger.error(`Timer trigger '${timer.fn.name}' failed: ${error instanceof Error ? error.message : String(error)}`, { functionName: timer.fn.name });
        });
    }
}
