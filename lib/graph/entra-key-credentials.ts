import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { parseCertificateDer } from '../certificates/parse-certificate';
import { thumbprintOfDer } from '../certificates/thumbprint';
import { PermanentError, TransientError } from '../errors';
import type { AzureAccess } from '../identity/azure-access';
import { consentFailure } from '../identity/consent-required';
import { DEFAULT_RETRY_POLICY, withTransientRetry, type RetryPolicy } from '../identity/transient-retry';
import { Logger, silentSink } from '../logger';
import { createGraphClient } from './graph-client';
import { mapGraphError, type GraphCallContext } from './graph-errors';
import { credentialThumbprint, isCredentialFor, isExpired, isProductCredential, lostCredentials, parseKeyCredentials, PRODUCT_CREDENTIAL_PREFIX, sameCredentials, sendBack, type KeyCredentialRecord } from './key-credential';
import { KeyCredentialsLostError } from './key-credentials-lost-error';
import { appIdFor, collectionFor, notFoundMessage, type KeyTargetSpec, type ResolvedKeyTarget } from './key-target';

export interface RegistrationResult {
    readonly status: 'added' | 'alreadyPresent';
    readonly keyId: string;
    readonly thumbprint: string;
    /**
     * keyIds, as they are now, of every credential that was there before and is still there (all of
     * them, or the call fails). A write re-creates kept credentials, so these may differ from before.
     */
    readonly keptKeyIds: readonly string[];
    /** keyIds of the credentials as read before the write. */
    readonly keyIdsBefore: readonly string[];
}

export interface RemovalResult {
    readonly status: 'removed' | 'absent';
    readonly keyId: string;
    readonly keptKeyIds: readonly string[];
}

export interface RemovalOptions {
    /**
     * The certificate whose key to remove when the keyId is no longer there: every write re-creates
     * the kept credentials under new keyIds, so a keyId read before another write may be stale.
     */
    readonly thumbprint?: string;
    /** The caller knows this product registered the credential (its certificate is the product's). */
    readonly owned?: boolean;
    /** Also remove a credential the product did not add, but only when it has expired. */
    readonly allowForeignExpired?: boolean;
    readonly nowMs?: number;
}

/** One change of a group commit (applyChanges). */
export type KeyCredentialChange = { readonly kind: 'register'; readonly cerBase64: string } | ({ readonly kind: 'remove'; readonly keyId: string } & Omit<RemovalOptions, 'nowMs'>);

/** What became of each change of a group commit, in order: done, or refused on its own (the others still apply). */
export type KeyCredentialChangeResult =
    | { readonly kind: 'register'; readonly result: RegistrationResult }
    | { readonly kind: 'remove'; readonly result: RemovalResult }
    | { readonly kind: 'refused'; readonly error: PermanentError };

export interface EntraKeyCredentialsOptions {
    readonly retry?: RetryPolicy;
    readonly logger?: Logger;
    /** The customer's directory (multi-tenant mode): Graph is called with this credential, and missing consent fails with this link. */
    readonly directory?: { readonly tenantId: string; readonly credential: TokenCredential; readonly consentUrl: string };
}

/** Graph DateTimeOffset without milliseconds, as Graph itself writes certificate dates. */
const graphDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A credential for the certificate as this product registers it (displayName marks it as the product's). */
function newCredential(cerBase64: string, der: Buffer, thumbprint: string): Record<string, unknown> {
    const certificate = parseCertificateDer(der);
    return {
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: cerBase64,
        customKeyIdentifier: thumbprint,
        displayName: `${PRODUCT_CREDENTIAL_PREFIX} ${certificate.subject}`.slice(0, 90),
        startDateTime: graphDate(certificate.notBefore),
        endDateTime: graphDate(certificate.notAfter),
    };
}

function pathOf(target: ResolvedKeyTarget): string {
    return `/${target.collection}/${target.objectId}`;
}

/**
 * The key target's keyCredentials through Microsoft Graph. Graph's PATCH replaces the whole
 * collection, so every write sends back every existing credential in the minimal form Microsoft's
 * script uses for this service principal (key, type, usage: see sendBack), and is followed by a
 * single-object read that must show, by certificate thumbprint, every credential that was there before.
 */
export class EntraKeyCredentials {
    private readonly client: Client;
    private readonly retry: RetryPolicy;
    private readonly logger: Logger;
    private readonly directory: EntraKeyCredentialsOptions['directory'];

    constructor(access: AzureAccess, options: EntraKeyCredentialsOptions = {}) {
        this.client = createGraphClient(access, options.directory?.credential);
        this.directory = options.directory;
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
        const [result] = await this.applyChanges(target, [{ kind: 'register', cerBase64 }]);
        if (result?.kind !== 'register') throw new Error('applyChanges answered a registration with another kind of result');
        return result.result;
    }

    /**
     * Removes one credential by keyId, or by the certificate thumbprint when that keyId is gone (rotation).
     * Only credentials this product added (the caller says so, or its displayName shows it), unless the
     * caller explicitly allows an expired foreign one. Every other credential is kept and verified.
     */
    async removeCredential(target: ResolvedKeyTarget, keyId: string, options: RemovalOptions = {}): Promise<RemovalResult> {
        const [result] = await this.applyChanges(target, [{ kind: 'remove', keyId, ...options }], options.nowMs);
        if (result?.kind === 'refused') throw result.error;
        if (result?.kind !== 'remove') throw new Error('applyChanges answered a removal with another kind of result');
        return result.result;
    }

    /**
     * Applies several changes in one read, one PATCH and one verifying read: the key target's writer
     * (lib/contracts/key-writer.ts) applies every queued change at once. A registration is idempotent by
     * thumbprint; a removal finds its credential by keyId, else by thumbprint, and only removes what the
     * product added (or what the caller owns, or a foreign one that has expired when asked); a removal
     * those rules refuse is refused alone. Every credential that was there before and is not removed
     * must still be there after, by certificate (KeyCredentialsLostError otherwise). A registration the
     * verifying read does not show, or a removal it still shows (another writer's PATCH replaced ours),
     * throws a transient error, so that the whole batch is read, applied and verified again.
     */
    async applyChanges(target: ResolvedKeyTarget, changes: readonly KeyCredentialChange[], nowMs: number = Date.now()): Promise<KeyCredentialChangeResult[]> {
        const before = await this.readKeyCredentials(target);
        const added = new Map<string, Record<string, unknown>>();
        const victims = new Map<number, KeyCredentialRecord>();
        const refused = new Map<number, PermanentError>();
        for (const [index, change] of changes.entries()) {
            if (change.kind === 'register') {
                const der = Buffer.from(change.cerBase64, 'base64');
                const thumbprint = thumbprintOfDer(der);
                if (added.has(thumbprint) || before.some((record) => isCredentialFor(record, thumbprint))) continue;
                added.set(thumbprint, newCredential(change.cerBase64, der, thumbprint));
                continue;
            }
            const thumbprint = change.thumbprint;
            const victim = before.find((record) => record.keyId === change.keyId) ?? (thumbprint === undefined ? undefined : before.find((record) => isCredentialFor(record, thumbprint)));
            if (victim === undefined) continue;
            if (change.owned !== true && !isProductCredential(victim) && !(change.allowForeignExpired === true && isExpired(victim, nowMs))) {
                refused.set(index, new PermanentError('graph-credential-not-ours', `Refusing to remove key credential ${victim.keyId}: this product did not add it${isExpired(victim, nowMs) ? '' : ' and it has not expired'}.`, {
                    cause: new Error(`displayName ${victim.displayName ?? '(none)'}`),
                    remedy: 'Remove it in Entra ID yourself if it is really unused, or ask for removal of expired foreign credentials explicitly.',
                }));
                continue;
            }
            victims.set(index, victim);
        }
        const removed = new Set(victims.values());
        const kept = before.filter((record) => !removed.has(record));
        let after = before;
        if (added.size > 0 || removed.size > 0) {
            await this.writeKeyCredentials(target, [...kept.map(sendBack), ...added.values()], 'write keyCredentials');
            after = await this.verifyNothingLost(target, before, [...removed]);
        }
        const keptKeyIds = sameCredentials(kept, after).map((record) => record.keyId);
        const keyIdsBefore = before.map((record) => record.keyId);
        const results = changes.map((change, index): KeyCredentialChangeResult => {
            const refusal = refused.get(index);
            if (refusal !== undefined) return { kind: 'refused', error: refusal };
            if (change.kind === 'remove') {
                const victim = victims.get(index);
                if (victim === undefined) return { kind: 'remove', result: { status: 'absent', keyId: change.keyId, keptKeyIds } };
                const victimThumbprint = credentialThumbprint(victim);
                if (after.some((record) => record.keyId === victim.keyId || (victimThumbprint !== null && isCredentialFor(record, victimThumbprint) && record.usage === victim.usage))) {
                    throw new TransientError('graph-write-not-visible', `The removal of key credential ${victim.keyId} is not visible on ${pathOf(target)} yet.`, {
                        cause: new Error('read-after-write still shows the removed credential'),
                    });
                }
                return { kind: 'remove', result: { status: 'removed', keyId: victim.keyId, keptKeyIds } };
            }
            const thumbprint = thumbprintOfDer(Buffer.from(change.cerBase64, 'base64'));
            const registered = after.find((record) => isCredentialFor(record, thumbprint));
            if (registered === undefined) {
                throw new TransientError('graph-write-not-visible', `The new key credential ${thumbprint} is not visible on ${pathOf(target)} yet.`, {
                    cause: new Error('read-after-write did not show the added credential'),
                });
            }
            return { kind: 'register', result: { status: added.has(thumbprint) ? 'added' : 'alreadyPresent', keyId: registered.keyId, thumbprint, keptKeyIds, keyIdsBefore } };
        });
        this.logger.info('key credentials written', { target: pathOf(target), changes: changes.length, added: added.size, removed: removed.size, kept: keptKeyIds.length });
        return results;
    }

    private async writeKeyCredentials(target: ResolvedKeyTarget, keyCredentials: Record<string, unknown>[], action: string): Promise<void> {
        await this.call({ action, notFoundMessage: notFoundMessage(target) }, () => this.client.api(pathOf(target)).patch({ keyCredentials }) as Promise<unknown>);
    }

    private async verifyNothingLost(target: ResolvedKeyTarget, before: readonly KeyCredentialRecord[], removed: readonly KeyCredentialRecord[]): Promise<KeyCredentialRecord[]> {
        const after = await this.readKeyCredentials(target);
        const lost = lostCredentials(before, after, removed);
        if (lost.length > 0) {
            const lostKeyIds = lost.map((record) => record.keyId);
            const thumbprints = lost.map(credentialThumbprint).filter((thumbprint): thumbprint is string => thumbprint !== null);
            this.logger.error('KEY CREDENTIALS LOST after PATCH', { target: pathOf(target), lostKeyIds, lostThumbprints: thumbprints });
            throw new KeyCredentialsLostError(pathOf(target), lostKeyIds, thumbprints);
        }
        return after;
    }

    private call<T>(context: GraphCallContext, attempt: () => Promise<T>): Promise<T> {
        return withTransientRetry(
            'graph',
            context.action,
            async () => {
                try {
                    return await attempt();
                } catch (error) {
                    const directory = this.directory;
                    throw (directory === undefined ? undefined : consentFailure(error, directory.tenantId, directory.consentUrl)) ?? mapGraphError(error, context);
                }
            },
            this.retry,
            this.logger,
        );
    }
}
