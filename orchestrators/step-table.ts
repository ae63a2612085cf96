import type { OrchestrationContext } from 'durable-functions';
import type { RunError, RunStatus, Step, StepState } from '../lib/contracts/steps';

/**
 * Bounds on what the custom status carries, so that the step table stays far below the 16 KB of UTF-16
 * the extension allows (DurableOrchestrationContext.SetCustomStatus fails the orchestration above it)
 * whatever the organization: a step's detail may list 200 servers. The full text stays in the run's
 * output (checks, changes) or, for a failed run, in its error output.
 */
export const STATUS_LIMITS = { detail: 160, message: 600, remedy: 400 } as const;

/** The text cut to `limit` characters, saying how much was left out. */
export function bounded(text: string, limit: number): string {
    if (text.length <= limit) return text;
    const note = ` … (${text.length - limit} more characters in the run's output)`;
    return `${text.slice(0, limit)}${note}`;
}

export interface StepDefinition {
    readonly id: string;
    readonly title: string;
}

/**
 * The step table a run publishes as its custom status at every transition, with times from the
 * durable clock so that replays produce the same table.
 */
export class StepTable {
    private steps: Step[];
    private error: RunError | undefined;
    private changes: readonly string[] | undefined;

    constructor(
        private readonly context: OrchestrationContext,
        private readonly kind: RunStatus['kind'],
        private readonly tenantDomain: string | undefined,
        definitions: readonly StepDefinition[],
    ) {
        this.steps = definitions.map((d) => ({ id: d.id, title: d.title, state: 'pending' }));
        this.publish();
    }

    /** Marks the step running; for a step already running, only its detail changes (it keeps the time it started). */
    start(id: string, detail?: string): void {
        const running = this.steps.find((s) => s.id === id)?.state === 'running';
        this.update(id, 'running', detail, running ? {} : { startedAt: this.now() });
    }

    succeed(id: string, detail?: string): void {
        this.update(id, 'succeeded', detail, { endedAt: this.now() });
    }

    skip(id: string, detail: string): void {
        this.update(id, 'skipped', detail, { endedAt: this.now() });
    }

    fail(id: string, detail: string): void {
        this.update(id, 'failed', detail, { endedAt: this.now() });
    }

    /** Marks the run failed: the failing step, every still-running step, the error and what the run had changed, in the status. */
    failRun(error: RunError, changes?: readonly string[]): void {
        this.error = error;
        this.changes = changes;
        for (const step of this.steps) {
            if (step.id === error.step || step.state === 'running') this.update(step.id, 'failed', step.id === error.step ? error.message : 'stopped: the run failed', { endedAt: this.now() });
        }
    }

    /** Every step still pending is skipped with the reason (dry runs, early successes). */
    skipPending(detail: string): void {
        for (const step of this.steps) if (step.state === 'pending') this.skip(step.id, detail);
    }

    /** The step a failure belongs to when the error itself does not say. */
    current(): string {
        return this.steps.find((s) => s.state === 'running')?.id ?? this.steps.find((s) => s.state === 'pending')?.id ?? 'run';
    }

    snapshot(): readonly Step[] {
        return this.steps;
    }

    private now(): string {
        return this.context.df.currentUtcDateTime.toISOString();
    }

    private update(id: string, state: StepState, detail: string | undefined, times: Partial<Pick<Step, 'startedAt' | 'endedAt'>>): void {
        const index = this.steps.findIndex((s) => s.id === id);
        if (index < 0) throw new Error(`unknown step ${id}`);
        const previous = this.steps[index] as Step;
        const next: Step = { ...previous, state, ...times, ...(detail === undefined ? {} : { detail }) };
        this.steps = [...this.steps.slice(0, index), next, ...this.steps.slice(index + 1)];
        this.publish();
    }

    private publish(): void {
        const error = this.error;
        const status: RunStatus = {
            kind: this.kind,
            ...(this.tenantDomain === undefined ? {} : { tenantDomain: this.tenantDomain }),
            steps: this.steps.map((step) => (step.detail === undefined ? step : { ...step, detail: bounded(step.detail, STATUS_LIMITS.detail) })),
            ...(error === undefined
                ? {}
                : {
                      error: {
                          ...error,
                          message: bounded(error.message, STATUS_LIMITS.message),
                          ...(error.remedy === undefined ? {} : { remedy: bounded(error.remedy, STATUS_LIMITS.remedy) }),
                      },
                  }),
            ...(this.changes === undefined ? {} : { changes: this.changes }),
        };
        this.context.df.setCustomStatus(status);
    }
}
