export interface ScheduleStatus {
    readonly last: number;
    readonly next: number;
    readonly lastUpdated: number;
}

/**
 * The TimerInfo the host sends for a timer trigger; @azure/functions camel-cases it into a `Timer`.
 * ScheduleStatus is null when the schedule is not monitored (useMonitor false, the default for
 * schedules more frequent than once a minute) and for a manual run.
 */
export function timerInfo(status: ScheduleStatus | undefined, isPastDue: boolean): Record<string, unknown> {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
        Schedule: { AdjustForDST: true },
        ScheduleStatus: status ? { Last: iso(status.last), Next: iso(status.next), LastUpdated: iso(status.lastUpdated) } : null,
        IsPastDue: isPastDue,
    };
}
