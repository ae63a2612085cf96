import type { Outcome } from '../lib/contracts/outcome';
import type { RunError } from '../lib/contracts/steps';

/** Ends a run with a structured error: the step, what happened, and what the administrator should do. */
export class RunFailure extends Error {
    constructor(readonly runError: RunError) {
        super(`${runError.step}: ${runError.message}`);
        this.name = 'RunFailure';
    }
}

/** The value of a successful outcome; a permanent failure ends the run at `step`. */
export function unwrap<T>(outcome: Outcome<T>, step: string): T {
    if (outcome.ok) return outcome.value;
    throw new RunFailure({ step, ...outcome.error });
}

/** Any other error reaching the top: retries of a transient failure ran out. */
export function toRunError(error: unknown, step: string): RunError {
    if (error instanceof RunFailure) return error.runError;
    const message = error instanceof Error ? error.message : String(error);
    return {
        step,
        code: 'retries_exhausted',
        message,
        remedy: 'A dependency kept failing after every retry. Check the detail, fix the cause (agent online, permissions, service health) and start the run again: completed steps are not repeated.',
    };
}
