import type { Client } from '@microsoft/microsoft-graph-client';
import { parseCertificateDer } from '../certificates/parse-certificate';
import { thumbprintOfDer } from '../certificates/thumbprint';
import { PermanentError, TransientError } from '../errors';
import type { AzureAccess } from '../identity/azure-access';
import { DEFAULT_RETRY_POLICY, withTransientRetry, type RetryPolicy } from '../identity/transient-retry';
import { Logger, silentSink } from '../logger';
import { createGraphClient } from './graph-client';
import { mapGraphError, type GraphCallContext } from './graph-errors';
import { isCredentialFor, isExpired, isProductCredential, lostKeyIds, parseKeyCredentials, PRODUCT_CREDENTIAL_PREFIX, sendBack, type KeyCredentialRecord } from './key-credential';
import { KeyCredentialsLostError } from './key-credentials-lost-error';
import { appIdFor, collectionFor, notFoundMessage, type KeyTargetSpec, type ResolvedKeyTarget } from './key-target';

export interface RegistrationResult {
    readonly status: 'added' | 'alreadyPresent';
    readonly keyId: string;
    readonly thumbprint: string;
    /** Every credential that was there before and is still there (all of them, or the call fails). */
    readonly keptKeyIds: readonly string[];
}

export interface RemovalResult {
    readonly status: 'removed' | 'absent';
    readonly keyId: string;
    readonly keptKeyIds: readonly string[];
}

export interface RemovalOptions {
    /** Also remove a credential the product did not add, but only when it has expired. */
    readonly allowForeignExpired?: boolean;
    readonly nowMs?: number;
}

export interface EntraKeyCredentialsOptions {
    readonly retry?: RetryPolicy;
    readonly logger?: Logger;
}

/** Graph DateTimeOffset without milliseconds, as Graph itself writes certificate dates. */
const graphDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function pathOf(target: ResolvedKeyTarget): string {
    return `/${target.collection}/${target.objectId}`;
}

/**
 * The key target's keyCredentials through Microsoft Graph. Graph's PATCH replaces the whole
 * collection, so every write sends back every existing credential by keyId as read, and is followed
 * by a single-object read that must show every credential that was there before.
 */
export class EntraKeyCredentials {
    private readonly client: Client;
    private readonly retry: RetryPolicy;
    private readonly logger: Logger;

    constructor(access: AzureAccess, options: EntraKeyCredentialsOptions = {}) {
        this.client = createGraphClient(access);
        this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
        this.logger = (options.logger ?? new Logger({}, silentSink)).child({ component: 'graph-key-credentials' });
    }

    async findKeyTarget(spec: KeyTargetSpec): Promise<ResolvedKeyTarget> {
        const collection = collectionFor(spec);
        const appId = appIdFor(spec);
        const context = { action: 'find the key target', notFoundMessage: notFoundMessage(spec) };
        const response = await this.call(context, () => this.client.api(`/${collection}`).filter(`appId eq '${appId}'`).select('id,appId,displayName').get() as Promise<{ value?: unknown }>);
        const found = Array.isArray(response.value) ? (response.value[0] as { id?: unknown; appId?: unknown; displayName?: unknown } | undefined) : undefined;
        if (found === undefined || typeof found.id !== 'string') {
            throw new PermanentError('graph-key-target-not-found', notFoundMessage(spec), { cause: new Error(`no ${collection} with appId ${appId}`) });
        }
        return { kind: spec.kind, collection, objectId: found.id, appId, displayName: typeof found.displayName === 'string' ? found.displayName : '' };
    }

    /** The single-object read: the only one in which Graph returns each credential's key. */
    async readKeyCredentials(target: ResolvedKeyTarget): Promise<KeyCredentialRecord[]> {
        const context = { action: 'read the key target\'s keyCredentials', notFoundMessage: notFoundMessage(target) };
        const response = await this.call(context, () => this.client.api(pathOf(target)).select('keyCredentials').get() as Promise<{ keyCredentials?: unknown }>);
        return parseKeyCredentials(response.keyCredentials);
    }

    /** Adds the certificate's public key unless a credential for its thumbprint is already there. */
    async registerCertificate(target: ResolvedKeyTarget, cerBase64: string): Promise<RegistrationResult> {
        const der = Buffer.from(cerBase64, 'base64');
        const certificate = parseCertificateDer(der);
        const thumbprint = thumbprintOfDer(der);
        const before = await this.readKeyCredentials(target);
        const existing = before.find((record) => isCredentialFor(record, thumbprint));
        if (existing !== undefined) {
            this.logger.info('key credential already registered', { target: pathOf(target), keyId: existing.keyId, thumbprint });
            return { status: 'alreadyPresent', keyId: existing.keyId, thumbprint, keptKeyIds: before.map((record) => record.keyId) };
        }
        const added = {
            type: 'AsymmetricX509Cert',
            usage: 'Verify',
            key: cerBase64,
            customKeyIdentifier: thumbprint,
            displayName: `${PRODUCT_CREDENTIAL_PREFIX} ${certificate.subject}`.slice(0, 90),
            startDateTime: graphDate(certificate.notBefore),
            endDateTime: graphDate(certificate.notAfter),
        };
        await this.writeKeyCredentials(target, [...before.map(sendBack), added], 'write keyCredentials');
        const after = await this.verifyNothingLost(target, before, []);
        const registered = after.find((record) => isCredentialFor(record, thumbprint));
        if (registered === undefined) {
            throw new TransientError('graph-write-not-visible', `The new key credential ${thumbprint} is not visible on ${pathOf(target)} yet.`, {
                cause: new Error('read-after-write did not show the added credential'),
            });
        }
        this.logger.info('key credential registered', { target: pathOf(target), keyId: registered.keyId, thumbprint, kept: before.length });
        return { status: 'added', keyId: registered.keyId, thumbprint, keptKeyIds: before.map((record) => record.keyId) };
    }

    /**
     * Removes one credential by keyId (rotation). Only credentials this product added, unless the
     * caller explicitly allows an expired foreign one. Every other credential is kept and verified.
     */
    async removeCredential(target: ResolvedKeyTarget, keyId: string, options: RemovalOptions = {}): Promise<RemovalResult> {
        const before = await this.readKeyCredentials(target);
        const victim = before.find((record) => record.keyId === keyId);
        const others = before.filter((record) => record.keyId !== keyId);
        if (victim === undefined) return { status: 'absent', keyId, keptKeyIds: others.map((record) => record.keyId) };
        const nowMs = options.nowMs ?? Date.now();
        if (!isProductCredential(victim) && !(options.allowForeignExpired === true && isExpired(victim, nowMs))) {
            throw new PermanentError('graph-credential-not-ours', `Refusing to remove key credential ${keyId}: this product did not add it${isExpired(victim, nowMs) ? '' : ' and it has not expired'}.`, {
                cause: new Error(`displayName ${victim.displayName ?? '(none)'}`),
                remedy: 'Remove it in Entra ID yourself if it is really unused, or ask for removal of expired foreign credentials explicitly.',
            });
        }
        await this.writeKeyCredentials(target, others.map(sendBack), 'remove a key credential');
        const after = await this.verifyNothingLost(target, before, [keyId]);
        if (after.some((record) => record.keyId === keyId)) {
            throw new TransientError('graph-write-not-visible', `The removal of key credential ${keyId} is not visible on ${pathOf(target)} yet.`, {
                cause: new Error('read-after-write still shows the removed credential'),
            });
        }
        this.logger.info('key credential removed', { target: pathOf(target), keyId, kept: others.length });
        return { status: 'removed', keyId, keptKeyIds: others.map((record) => record.keyId) };
    }

    private async writeKeyCredentials(target: ResolvedKeyTarget, keyCredentials: Record<string, unknown>[], action: string): Promise<void> {
        await this.call({ action, notFoundMessage: notFoundMessage(target) }, () => this.client.api(pathOf(target)).patch({ keyCredentials }) as Promise<unknown>);
    }

    private async verifyNothingLost(target: ResolvedKeyTarget, before: readonly KeyCredentialRecord[], removed: readonly string[]): Promise<KeyCredentialRecord[]> {
        const after = await this.readKeyCredentials(target);
        const lost = lostKeyIds(before, after, removed);
        if (lost.length > 0) {
            const thumbprints = before.filter((record) => lost.includes(record.keyId) && record.key !== null).map((record) => thumbprintOfDer(Buffer.from(record.key ?? '', 'base64')));
            this.logger.error('KEY CREDENTIALS LOST after PATCH', { target: pathOf(target), lostKeyIds: lost, lostThumbprints: thumbprints });
            throw new KeyCredentialsLostError(pathOf(target), lost, thumbprints);
        }
        return after;
    }

    private call<T>(context: GraphCallContext, attempt: () => Promise<T>): Promise<T> {
        return withTransientRetry(
            context.action,
            async () => {
                try {
                    return await attempt();
                } catch (error) {
                    throw mapGraphError(error, context);
                }
            },
            this.retry,
            this.logger,
        );
    }
}
