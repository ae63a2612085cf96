import type { RequestedBy } from '../auth/caller';
import type { AuthServerAction, InstalledOn } from './activities';

export interface OnboardSucceeded {
    readonly outcome: 'succeeded';
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly runId: string;
    readonly certificate: {
        readonly thumbprint: string;
        readonly notAfter: string;
        readonly source: 'created' | 'reused';
        readonly keyVaultName: string | null;
        /** Why it was created (each certificate not reused, and why) or reused: in full, where the step table cuts it. */
        readonly reason: string;
    };
    /** Servers the certificate was imported on, and those that already had it (none of either when every server had it before the run). */
    readonly installed: InstalledOn;
    readonly authServer: AuthServerAction;
    readonly keyCredentials: {
        readonly keyId: string;
        readonly added: boolean;
        readonly before: readonly string[];
        readonly after: readonly string[];
    };
    readonly probe: { readonly server: string; readonly resultType: 'Succeeded'; readonly attempts: number };
    /** What this run changed, in the order it changed it; empty when everything was already in place. */
    readonly changes: readonly string[];
    /** Who asked for the run, from its input. */
    readonly requestedBy: RequestedBy;
}

/** One step of the onboarding plan: run or skip, and why (orchestrators/onboarding/plan.ts). */
export interface PlannedStep {
    readonly step: 'certificate' | 'install' | 'authServer' | 'registerKey' | 'authConfig' | 'restartAuthServices' | 'pushProxy' | 'restartHealthManager' | 'settle' | 'probe' | 'registry';
    readonly action: 'run' | 'skip';
    readonly detail: string;
}

export interface OnboardDryRun {
    readonly outcome: 'dryRun';
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly runId: string;
    /** What a real run would change; nothing was written. */
    readonly plannedChanges: readonly string[];
    /** The step table a real run would produce from the same decisions: each step run or skipped. */
    readonly plan: readonly PlannedStep[];
    readonly requestedBy: RequestedBy;
}

export type OnboardResult = OnboardSucceeded | OnboardDryRun;
