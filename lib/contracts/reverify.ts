import type { TenantRecord } from './activities';
import type { RequestedBy } from '../auth/caller';
import type { ReverifyMode } from './onboarding';

export type CheckState = 'ok' | 'drifted' | 'repaired' | 'failed';

export interface CheckResult {
    readonly id: CheckId;
    readonly state: CheckState;
    readonly detail: string;
}

export type CheckId = 'authConfigCertificate' | 'certificateOnServers' | 'keyCredential' | 'authServer' | 'pushProxy' | 'probe' | 'rotation' | 'onboarding';

/** A tenant to re-verify: its registry record and what its cloud derives from it. */
export interface ReverifyTarget {
    readonly record: TenantRecord;
    readonly authMetadataUrl: string;
    /** Enable-PushNotificationProxy -Uri: the push notification service of the tenant's cloud. */
    readonly pushNotificationUri: string;
    /** The tenant's one orchestration instance id (shared with onboarding). */
    readonly instanceId: string;
}

export interface ReverifySettings {
    readonly renewalWindowDays: number;
    /** How long a staged certificate waits before it is published (Set-AuthConfig -NewCertificateEffectiveDate). */
    readonly stageHours: number;
    readonly settleSeconds: number;
    readonly probeAttempts: number;
    /**
     * PPO_KEY_TARGET_APP_IDS: the applications the product may write keys to. A rotation gives the new key to a
     * dedicated hybrid application listed here. Absent in runs started before it existed: none.
     */
    readonly keyTargetAppIds?: readonly string[];
}

/** Input of reverifyTenant. No secrets. */
export interface ReverifyTenantInput extends Omit<ReverifyTarget, 'instanceId'> {
    readonly runId: string;
    readonly mode: ReverifyMode;
    readonly settings: ReverifySettings;
    /** Who asked for the run: the API's caller, or SCHEDULE_REQUESTER for the timer's runs. Never a token. */
    readonly requestedBy: RequestedBy;
}

export type ReverifyOutcome = 'succeeded' | 'drifted' | 'repaired' | 'failed';

export interface RotationReport {
    readonly kind: 'staged' | 'immediate';
    readonly from: string;
    readonly to: string;
    readonly publishedAt: string;
    /** What was restarted once the new certificate was current (MSExchangeServiceHost, the OWA and ECP pools), per server. */
    readonly restarted: string;
    /** Key targets that trust the Auth certificate and were not given the new key, each with what the administrator runs. */
    readonly notUpdated: readonly string[];
    /** Dedicated hybrid applications (allowed in PPO_KEY_TARGET_APP_IDS) given the new key before the publish. */
    readonly hybridApplications: readonly HybridApplicationRotation[];
    readonly removedKeyId: string | null;
    /** The previous certificate's key credential, kept because this product did not add it: remove it in Entra ID once nothing uses it. */
    readonly keptKeyId: string | null;
}

/** What a rotation did on a dedicated hybrid application besides the tenant's key target. */
export interface HybridApplicationRotation {
    readonly appId: string;
    readonly registeredKeyId: string;
    readonly removedKeyId: string | null;
    /** The old certificate's key there, kept because this product did not add it. */
    readonly keptKeyId: string | null;
}

export interface ReverifyResult {
    readonly tenantDomain: string;
    readonly instanceId: string;
    readonly runId: string;
    readonly mode: ReverifyMode;
    readonly outcome: ReverifyOutcome;
    readonly checks: readonly CheckResult[];
    readonly rotation: RotationReport | null;
    readonly requestedBy: RequestedBy;
}

/** Input of reverifyAll; carried from one batch to the next through continue-as-new. */
export interface ReverifyAllInput {
    readonly runId: string;
    readonly batchSize: number;
    readonly settings: ReverifySettings;
    /** Row key after which the next batch starts; null for the first. */
    readonly after: string | null;
    readonly batch: number;
    readonly summary: ReverifyAllSummary;
    /** Who asked: SCHEDULE_REQUESTER for the timer; passed on to every tenant's run. */
    readonly requestedBy: RequestedBy;
}

export interface ReverifyAllSummary {
    readonly tenants: number;
    readonly outcomes: Readonly<Record<ReverifyOutcome | 'skipped', number>>;
    /**
     * Tenants whose outcome was drifted or failed: at most ATTENTION_LIMIT listed, each detail at most
     * ATTENTION_DETAIL_LIMIT characters (the full text is in that tenant's run and its registry history).
     */
    readonly needsAttention: readonly { readonly tenantDomain: string; readonly outcome: string; readonly detail: string }[];
    /** How many tenants needed attention, listed or not. */
    readonly needsAttentionTotal: number;
}

/**
 * Bounds that keep every payload of reverifyAll small whatever the night was like: its output and the
 * input it continues with (Azure Storage moves messages over 45 KB to blobs) and its custom status
 * (the extension fails an orchestration whose custom status is over 16 KB of UTF-16).
 */
export const ATTENTION_LIMIT = 100;
export const ATTENTION_DETAIL_LIMIT = 160;
export const STATUS_ATTENTION_LIMIT = 10;

/** reverifyAll's custom status: the running totals and the first tenants that need attention. */
export interface ReverifyAllStatus {
    readonly kind: 'reverifyAll';
    readonly batch: number;
    readonly summary: ReverifyAllSummary;
}

export function emptySummary(): ReverifyAllSummary {
    return { tenants: 0, outcomes: { succeeded: 0, drifted: 0, repaired: 0, failed: 0, skipped: 0 }, needsAttention: [], needsAttentionTotal: 0 };
}
