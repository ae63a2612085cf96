import type { IssuedCertificate, RequestedPolicy } from './issued-certificate';

/** The creation in progress (or last completed) for a certificate name. */
export interface PendingOperation {
    readonly requestId: string;
    readonly version: string;
    readonly policy: RequestedPolicy;
    readonly tags: Record<string, string>;
    readonly completesAtMs: number;
    status: 'inProgress' | 'completed';
}

/** A version exists from the create request on (disabled, without cer) and is issued on completion. */
export interface VaultVersion {
    readonly version: string;
    readonly policy: RequestedPolicy;
    readonly tags: Record<string, string>;
    readonly createdMs: number;
    issued: IssuedCertificate | undefined;
}

export interface VaultCertificate {
    readonly name: string;
    readonly versions: VaultVersion[];
    operation: PendingOperation | undefined;
}
