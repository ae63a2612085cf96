import type { Outcome } from '../lib/contracts/outcome';
import type { RunError } from '../lib/contracts/steps';

/** Ends a run with a structured error: the step, what happened, and what the administrator should do. */
export class RunFailure extends Error {
    constructor(readonly runError: RunError) {
        super(`${runError.step}: ${runError.message}`);
        this.name = 'RunFailure';
    }
}

/**
 * A task's failure carried with the step the task belongs to: when steps run in parallel, the first
 * step still running is not necessarily the one that failed.
 */
export class StepFailure extends Error {
    constructor(
        readonly step: string,
        readonly failure: unknown,
    ) {
        super(failure instanceof Error ? failure.message : String(failure));
        this.name = 'StepFailure';
    }
}

/** The value of a successful outcome; a permanent failure ends the run at `step`. */
export function unwrap<T>(outcome: Outcome<T>, step: string): T {
    if (outcome.ok) return outcome.value;
    throw new RunFailure({ step, ...outcome.error });
}

/** Any other error reaching the top: retries of a transient failure ran out. */
export function toRunError(error: unknown, step: string): RunError {
    if (error instanceof StepFailure) return toRunError(error.failure, error.step);
    if (error instanceof RunFailure) return error.runError;
    // durable-functions appends the activity's error details, stack trace included, after a line break: the run's error keeps the first line.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? '';
    return {
        step,
        code: 'retries_exhausted',
        message,
        remedy: 'A dependency kept failing after every retry. Check the detail, fix the cause (agent online, permissions, service health) and start the run again: completed steps are not repeated.',
    };
}
