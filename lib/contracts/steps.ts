export type StepState = 'pending' | 'running' | 'succeeded' | 'skipped' | 'failed';

export interface Step {
    readonly id: string;
    readonly title: string;
    readonly state: StepState;
    readonly detail?: string;
    readonly startedAt?: string;
    readonly endedAt?: string;
}

/** The structured error a failed run reports: which step, what happened, what to do. */
export interface RunError {
    readonly step: string;
    readonly code: string;
    readonly message: string;
    readonly remedy?: string;
}

/** Custom status of every run: the step table at each transition, and the error when it failed. */
export interface RunStatus {
    readonly kind: 'onboardTenant' | 'reverifyTenant' | 'reverifyAll';
    readonly tenantDomain?: string;
    readonly steps: readonly Step[];
    readonly error?: RunError;
    /** A failed onboarding's changes, in order: what it leaves behind (README, "Resume or undo"). */
    readonly changes?: readonly string[];
}
