import type { RequestedBy } from '../auth/caller';
import type { OperationParamsInput } from '../protocol/operation-catalog';
import type { CloudName, KeyTarget } from './clouds';
import type { AuthConfigView, InventorySummary } from './inventory';
import type { KeyChangeRequest, KeyChangeResult, KeyWriterTarget } from './key-writer';
import type { ReverifyMode } from './onboarding';
import type { Outcome } from './outcome';
import type { ReverifyTarget } from './reverify';

/** Identifies an agent call: which agent, and an operation id the agent runs at most once. */
export interface AgentCall {
    readonly hybridConnection: string;
    readonly operationId: string;
}

/** Which Entra tenant and cloud a Graph call goes to. */
export interface GraphScope {
    readonly cloud: CloudName;
    readonly tenantId?: string;
    readonly tenantDomain: string;
}

export interface PublicCertificate {
    readonly thumbprint: string;
    readonly derBase64: string;
    readonly notBefore: string;
    readonly notAfter: string;
}

export interface KeyCredentialSummary {
    readonly keyId: string;
    /** Upper-case hex thumbprint of the certificate in its key (else its customKeyIdentifier, when that holds one). */
    readonly thumbprint: string | null;
    readonly displayName: string | null;
    readonly startDateTime: string | null;
    readonly endDateTime: string | null;
    readonly usage: string | null;
    readonly type: string | null;
    /**
     * Its displayName shows this product registered it. Every write re-creates the kept credentials
     * from key, type and usage, so a credential the product added loses that name at the next write:
     * true proves it, false proves nothing (rotation decides from the tenant's record instead).
     */
    readonly addedByProduct: boolean;
}

export interface KeyTargetSummary {
    readonly objectId: string;
    readonly kind: KeyTarget['kind'];
    readonly appId: string;
    readonly displayName: string;
    readonly keyCredentials: readonly KeyCredentialSummary[];
}

/** A certificate version in Key Vault, public part only. */
export interface VaultCertificate extends PublicCertificate {
    readonly certificateName: string;
    readonly version: string;
}

export type InstallSource =
    /** organizationGuid: the organization the PFX is sent to; the activity refuses a certificate tagged for another. */
    | { readonly kind: 'keyVault'; readonly certificateName: string; readonly version: string; readonly organizationGuid: string }
    | { readonly kind: 'server'; readonly server: string };

/** Where an install put the certificate: servers by what it found, one name per server in history, not one object (issue 16, B5). */
export interface InstalledOn {
    readonly imported: readonly string[];
    readonly present: readonly string[];
}

/** What an install call did: as InstalledOn, and the servers where it failed with why. */
export interface InstallOutcomes extends InstalledOn {
    readonly failed: readonly { readonly server: string; readonly detail: string }[];
}

export type AuthServerAction = 'created' | 'updated' | 'unchanged';

export interface ProbeReport {
    readonly server: string;
    readonly resultType: 'Succeeded' | 'Failed';
    readonly error: string | null;
    readonly exception: string | null;
}

/** The agent's setAuthConfig parameters: set current, stage next with an effective date, publish, clear previous. */
export type SetAuthConfigRequest = OperationParamsInput<'setAuthConfig'>;

export interface TenantRecord {
    readonly tenantDomain: string;
    readonly tenantId: string | null;
    readonly cloud: CloudName;
    readonly keyTarget: KeyTarget;
    readonly hybridConnection: string;
    /**
     * The Exchange organization (Get-OrganizationConfig GUID, lower case) the tenant was bound to at
     * its first onboarding, with its hybrid connection; null in records written before bindings.
     */
    readonly organizationGuid: string | null;
    readonly reverifyMode: ReverifyMode;
    readonly certificate: {
        readonly thumbprint: string;
        readonly notAfter: string;
        readonly source: 'created' | 'reused';
        readonly keyVaultName: string | null;
        /** The Key Vault certificate version, to reinstall the same key on a server that lost it. */
        readonly keyVaultVersion: string | null;
    };
    readonly keyCredentialId: string | null;
    /** When the tenant was first recorded; later onboardings keep it (TenantRegistry.save). */
    readonly onboardedAt: string;
    /** When the latest onboarding run recorded it; absent on records saved before this field existed. */
    readonly lastRunAt?: string;
    /** Present while the latest onboarding failed after changing something: what it changed, and where it stopped. */
    readonly partial?: PartialOnboarding;
    /** Who asked for the latest change of this record (the onboarding run that saved it, or a re-bind); absent on records saved before callers were recorded. */
    readonly requestedBy?: RequestedBy;
}

/** An onboarding run that failed after it had changed something: the tenant is partially onboarded. */
export interface PartialOnboarding {
    readonly runId: string;
    readonly instanceId: string;
    readonly at: string;
    readonly error: { readonly step: string; readonly code: string; readonly message: string };
    /** What the run changed, in order, as its output's `changes`. */
    readonly changes: readonly string[];
}

export interface RunRecord {
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly runId: string;
    readonly kind: 'onboardTenant' | 'reverifyTenant';
    readonly outcome: 'succeeded' | 'failed' | 'drifted' | 'repaired';
    readonly at: string;
    readonly summary: string;
    readonly checks?: readonly { readonly id: string; readonly state: string; readonly detail: string }[];
    /** Who asked for the run; absent on runs recorded before callers were. */
    readonly requestedBy?: RequestedBy;
}

/** Every activity of the product: its input and what it returns. */
export interface ActivityCatalogue {
    /** keepCertificates: thumbprints whose facts and DER the summary keeps whatever they are (re-verification's recorded certificate). */
    agentInventory: { input: AgentCall & { readonly keepCertificates?: readonly string[] }; output: Outcome<InventorySummary> };
    agentInstallCertificate: {
        input: AgentCall & { readonly thumbprint: string; readonly servers: readonly string[]; readonly source: InstallSource };
        output: Outcome<InstallOutcomes>;
    };
    agentSetAuthConfig: {
        input: AgentCall & { readonly request: SetAuthConfigRequest };
        output: Outcome<{ readonly changed: boolean; readonly authConfig: AuthConfigView }>;
    };
    agentEnsureAuthServer: { input: AgentCall & { readonly authMetadataUrl: string }; output: Outcome<{ readonly action: AuthServerAction }> };
    agentEnablePushProxy: {
        input: AgentCall & { readonly organization: string; readonly uri: string };
        output: Outcome<{ readonly changed: boolean; readonly app: Readonly<Record<string, string | boolean | null>> }>;
    };
    /** Every Mailbox server's health manager caches the proxy's state: restart it on each. */
    agentRestartHealthManager: { input: AgentCall & { readonly servers: readonly string[] }; output: Outcome<{ readonly restartedAt: string }> };
    /** After the current Auth certificate changed: MSExchangeServiceHost and the OWA and ECP pools on each server that holds it. */
    agentRestartAuthServices: {
        input: AgentCall & { readonly servers: readonly string[] };
        output: Outcome<{ readonly restarted: readonly string[]; readonly failed: readonly { readonly server: string; readonly error: string }[] }>;
    };
    agentInvokeProbe: { input: AgentCall & { readonly server: string }; output: Outcome<ProbeReport> };
    graphGetKeyTarget: { input: GraphScope & { readonly keyTarget: KeyTarget }; output: Outcome<KeyTargetSummary> };
    /** The writer's group commit (lib/contracts/key-writer.ts): every change in one read, one PATCH and one verifying read. */
    graphApplyKeyChanges: {
        input: KeyWriterTarget & { readonly changes: readonly KeyChangeRequest[] };
        output: Outcome<{ readonly results: readonly KeyChangeResult[] }>;
    };
    keyVaultStartCertificate: {
        input: {
            readonly tenantDomain: string;
            /** The organization the certificate is made for: tagged on it; a certificate tagged for another is never reused. */
            readonly organizationGuid: string;
            readonly dnsName: string;
            readonly keySize: 2048 | 3072 | 4096;
            readonly validityMonths: number;
            /** Rotation: a completed certificate expiring before this instant gets a new version. */
            readonly renewIfNotAfterBefore?: string;
        };
        output: Outcome<{ readonly certificateName: string; readonly status: 'pending' | 'completed' }>;
    };
    keyVaultCheckCertificate: { input: { readonly certificateName: string }; output: Outcome<{ readonly status: 'pending' | 'completed' }> };
    keyVaultGetCertificate: { input: { readonly certificateName: string }; output: Outcome<VaultCertificate> };
    registrySaveTenant: { input: TenantRecord; output: Outcome<null> };
    registryListTenants: {
        input: { readonly after: string | null; readonly limit: number };
        output: Outcome<{ readonly tenants: readonly ReverifyTarget[]; readonly next: string | null }>;
    };
    registryRecordRun: { input: RunRecord; output: Outcome<null> };
    /**
     * Which of these orchestration instances are in progress (Pending, Running, ContinuedAsNew), read
     * through the durable client: reverifyAll skips a busy tenant instead of starting it, because Azure
     * drops a sub-orchestration start for a running instance and the parent would wait forever.
     */
    durableRunsInProgress: { input: { readonly instanceIds: readonly string[] }; output: Outcome<{ readonly inProgress: readonly string[] }> };
}

export type ActivityName = keyof ActivityCatalogue;
export type ActivityInput<K extends ActivityName> = ActivityCatalogue[K]['input'];
export type ActivityOutput<K extends ActivityName> = ActivityCatalogue[K]['output'];

/** The registered names, so functions/ and orchestrators/ cannot drift apart. */
export const ACTIVITY_NAMES = [
    'agentInventory',
    'agentInstallCertificate',
    'agentSetAuthConfig',
    'agentEnsureAuthServer',
    'agentEnablePushProxy',
    'agentRestartHealthManager',
    'agentRestartAuthServices',
    'agentInvokeProbe',
    'graphGetKeyTarget',
    'graphApplyKeyChanges',
    'keyVaultStartCertificate',
    'keyVaultCheckCertificate',
    'keyVaultGetCertificate',
    'registrySaveTenant',
    'registryListTenants',
    'registryRecordRun',
    'durableRunsInProgress',
] as const satisfies readonly ActivityName[];
