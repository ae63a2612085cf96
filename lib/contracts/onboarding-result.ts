import type { AuthServerAction, ServerInstallReport } from './activities';

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
    };
    readonly installed: readonly ServerInstallReport[];
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
}

export interface OnboardDryRun {
    readonly outcome: 'dryRun';
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly runId: string;
    /** What a real run would change; nothing was written. */
    readonly plannedChanges: readonly string[];
}

export type OnboardResult = OnboardSucceeded | OnboardDryRun;
