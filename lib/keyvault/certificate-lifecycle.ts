import type { CertificateClient, CertificateOperation, KeyVaultCertificateWithPolicy } from '@azure/keyvault-certificates';
import type { AzureAccess } from '../identity/azure-access';
import { DEFAULT_RETRY_POLICY, withTransientRetry, type RetryPolicy } from '../identity/transient-retry';
import { Logger, silentSink } from '../logger';
import { certificateNameForTenant } from './certificate-name';
import { certificatePolicyFor, certificateTagsFor, validateCertificateRequest, type CertificateRequest } from './certificate-request';
import { createCertificateClient } from './keyvault-clients';
import { mapKeyVaultError, statusOf } from './keyvault-errors';
import { toPublicCertificate, type PublicCertificate } from './public-certificate';

/** Where a tenant's certificate creation stands. JSON-safe: fit for activity outputs. */
export type CreationState =
    | { readonly status: 'pending'; readonly certificateName: string }
    | { readonly status: 'completed'; readonly certificateName: string; readonly certificate: PublicCertificate }
    | { readonly status: 'failed'; readonly certificateName: string; readonly reason: string }
    | { readonly status: 'absent'; readonly certificateName: string };

export interface StartCreationOptions {
    /** A completed certificate whose notAfter is before this instant (ISO 8601) is renewed: a new version is created. */
    readonly renewIfNotAfterBefore?: string;
}

export interface KeyVaultClientOptions {
    readonly retry?: RetryPolicy;
    readonly logger?: Logger;
}

type OperationRead =
    | { readonly kind: 'none' }
    | { readonly kind: 'inProgress' }
    | { readonly kind: 'completed'; readonly certificate: KeyVaultCertificateWithPolicy | undefined }
    | { readonly kind: 'failed'; readonly reason: string };

const ROLE = 'Key Vault Certificates Officer';

function readOperationState(operation: CertificateOperation | undefined, result: KeyVaultCertificateWithPolicy | undefined): OperationRead {
    if (operation?.status === 'inProgress') return { kind: 'inProgress' };
    if (operation?.status === 'completed') return { kind: 'completed', certificate: result };
    return { kind: 'failed', reason: operation?.error?.message ?? `creation ended with status "${operation?.status ?? 'unknown'}"` };
}

/**
 * The OAuth certificate in Key Vault: start (or find) its creation, read the pending operation once,
 * read the public certificate. Never reads the secret; never waits for completion (the orchestrator
 * waits between reads with durable timers).
 */
export class KeyVaultCertificateLifecycle {
    private readonly client: CertificateClient;
    private readonly retry: RetryPolicy;
    private readonly logger: Logger;

    constructor(access: AzureAccess, vaultUrl: string, options: KeyVaultClientOptions = {}) {
        this.client = createCertificateClient(access, vaultUrl);
        this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'keyvault-certificates' });
    }

    /**
     * Starts the tenant's certificate creation unless one is in progress or a completed certificate
     * fits the request; at most one creation per tenant even when called twice (409 is "already pending").
     */
    async startCreation(request: CertificateRequest, options: StartCreationOptions = {}): Promise<CreationState> {
        const valid = validateCertificateRequest(request);
        const certificateName = certificateNameForTenant(valid.tenantDomain);
        const operation = await this.call('read the pending certificate operation', () => this.readOperation(certificateName));
        if (operation.kind === 'inProgress') return { status: 'pending', certificateName };
        const current = await this.call('read the certificate', () => this.readLatest(certificateName));
        const fits =
            current !== undefined &&
            current.subject === `CN=${valid.userDnsDomain}` &&
            // Made for this organization: a certificate tagged for another (or untagged) is never reused.
            current.organizationGuid === valid.organizationGuid &&
            (options.renewIfNotAfterBefore === undefined || Date.parse(current.notAfter) >= Date.parse(options.renewIfNotAfterBefore));
        if (fits) return { status: 'completed', certificateName, certificate: current };
        return this.call('create the certificate', async () => {
            try {
                const poller = await this.client.beginCreateCertificate(certificateName, certificatePolicyFor(valid), { tags: certificateTagsFor(valid) });
                this.logger.info('certificate creation started', { certificateName });
                const state = poller.getOperationState();
                if (!state.isCompleted) return { status: 'pending', certificateName } as const;
                if (state.error !== undefined) return { status: 'failed', certificateName, reason: state.error.message } as const;
                return this.toCreationState(certificateName, { kind: 'completed', certificate: state.result });
            } catch (error) {
                if (statusOf(error) === 409) return { status: 'pending', certificateName } as const;
                throw error;
            }
        });
    }

    /** Reads the pending operation once: pending, completed (with the public certificate), failed or absent. */
    async readCreation(certificateName: string): Promise<CreationState> {
        const operation = await this.call('read the pending certificate operation', () => this.readOperation(certificateName));
        if (operation.kind === 'none') {
            const current = await this.call('read the certificate', () => this.readLatest(certificateName));
            return current === undefined ? { status: 'absent', certificateName } : { status: 'completed', certificateName, certificate: current };
        }
        return this.toCreationState(certificateName, operation);
    }

    /** The public certificate (cer, thumbprint, validity) of a version, or of the latest when no version is given. */
    async readPublicCertificate(certificateName: string, version?: string): Promise<PublicCertificate | undefined> {
        return this.call('read the certificate', async () => {
            try {
                const certificate = version === undefined ? await this.client.getCertificate(certificateName) : await this.client.getCertificateVersion(certificateName, version);
                return toPublicCertificate(certificate);
            } catch (error) {
                if (statusOf(error) === 404) return undefined;
                throw error;
            }
        });
    }

    private async toCreationState(certificateName: string, operation: OperationRead): Promise<CreationState> {
        switch (operation.kind) {
            case 'none':
                return { status: 'absent', certificateName };
            case 'inProgress':
                return { status: 'pending', certificateName };
            case 'failed':
                return { status: 'failed', certificateName, reason: operation.reason };
            case 'completed': {
                const certificate = (operation.certificate && toPublicCertificate(operation.certificate)) ?? (await this.readPublicCertificate(certificateName));
                return certificate === undefined ? { status: 'pending', certificateName } : { status: 'completed', certificateName, certificate };
            }
        }
    }

    private async readOperation(certificateName: string): Promise<OperationRead> {
        try {
            const poller = await this.client.getCertificateOperation(certificateName);
            const state = poller.getOperationState();
            return readOperationState(state.certificateOperation, state.result);
        } catch (error) {
            if (statusOf(error) === 404) return { kind: 'none' };
            // The SDK's poller throws the operation's own error (a plain Error) when the creation failed.
            if (error instanceof Error && error.name === 'Error') return { kind: 'failed', reason: error.message };
            throw error;
        }
    }

    private async readLatest(certificateName: string): Promise<PublicCertificate | undefined> {
        try {
            return toPublicCertificate(await this.client.getCertificate(certificateName));
        } catch (error) {
            if (statusOf(error) === 404) return undefined;
            throw error;
        }
    }

    private call<T>(action: string, attempt: () => Promise<T>): Promise<T> {
        return withTransientRetry(
            'keyVault',
            action,
            async () => {
                try {
                    return await attempt();
                } catch (error) {
                    throw mapKeyVaultError(error, action, ROLE);
                }
            },
            this.retry,
            this.logger,
        );
    }
}
