import { randomUUID } from 'node:crypto';
import { RealClock, type Clock } from '../clock';
import { statusFaultSchema, type FaultsScenario, type KeyVaultRole } from '../scenario/faults-schema';
import type { ServerTlsMaterial } from '../tls/test-authority';
import { CONNECTION_RESET, FaultInjector } from '../identity/fault-injector';
import { startHttpsStandIn, type RunningStandIn, type StandInRequest, type StandInResponse } from '../identity/https-stand-in';
import type { TokenVerifier } from '../identity/jwt';
import { issueSelfSigned, newVersionId, readRequestedPolicy, type RequestedPolicy } from './issued-certificate';
import { certificateBundle, operationJson, secretBundle, vaultError } from './vault-json';
import type { VaultCertificate, VaultVersion } from './vault-state';

export interface KeyVaultStandInOptions {
    /** faults.keyVault of the scenario: creation delay, injected errors, missing RBAC roles. */
    readonly faults?: Partial<FaultsScenario['keyVault']>;
    readonly verifier: TokenVerifier;
    readonly tenantId: string;
    /** Authority announced in the challenge, e.g. https://login.microsoftonline.com. */
    readonly authorityHost: string;
    /** The world clock: creation completes `creationDelaySeconds` after the request on it. */
    readonly clock: Clock;
    readonly tokenClock?: Clock;
}


export interface KeyVaultRequestRecord {
    readonly method: string;
    readonly host: string;
    readonly path: string;
    readonly status: number;
    readonly tokenAudience: string | undefined;
}

/** A certificate in the vault as tests and the demo see it: public facts only. */
export interface VaultCertificateView {
    readonly name: string;
    readonly pendingStatus: 'inProgress' | 'completed' | undefined;
    readonly versions: readonly {
        readonly version: string;
        /** A version exists from the create request on; it is issued when the creation completes. */
        readonly status: 'pending' | 'issued';
        readonly thumbprint: string | undefined;
        readonly notBefore: string | undefined;
        readonly notAfter: string | undefined;
        readonly tags: Readonly<Record<string, string>>;
        readonly policy: Omit<RequestedPolicy, 'wire'>;
    }[];
}

const ROLE_FOR_COLLECTION: Record<string, KeyVaultRole> = { certificates: 'Key Vault Certificates Officer', secrets: 'Key Vault Secrets User', deletedsecrets: 'Key Vault Secrets Officer' };

/** Secrets User reads secret contents; writing and deleting them takes Secrets Officer (https://learn.microsoft.com/azure/key-vault/general/rbac-guide, built-in roles). */
function roleFor(collection: string, method: string): KeyVaultRole | undefined {
    if (collection === 'secrets' && method !== 'GET') return 'Key Vault Secrets Officer';
    return ROLE_FOR_COLLECTION[collection];
}
const FAULT_CODES: Record<number, string> = { 429: 'Throttled', 500: 'InternalServerError', 503: 'ServiceUnavailable', 504: 'GatewayTimeout' };


/** A plain secret's current version. */
interface StoredSecret {
    readonly value: string;
    readonly version: string;
    readonly createdMs: number;
}

/**
 * Azure Key Vault (certificates and their secrets) over HTTPS for one vault: the bearer challenge
 * (401 with WWW-Authenticate naming the authority and the resource of the host called), create /
 * pending operation / get / versions, the PFX secret (base64 PKCS#12, no password), creation that
 * completes on the world clock, RBAC 403s and injected 429/5xx with Retry-After.
 */
export class KeyVaultStandIn {
    private readonly vault = new Map<string, VaultCertificate>();
    /** Plain secrets (not backing a certificate): what the product reads for relay and agent keys. */
    /** Soft-deleted secrets by name: when they were deleted (seconds) and what recovery brings back. */
    private readonly deletedSecrets = new Map<string, { readonly deletedDate: number; readonly secret: StoredSecret }>();
    private readonly plainSecrets = new Map<string, StoredSecret>();
    private readonly faults: FaultInjector;
    private readonly missingRoles: Set<KeyVaultRole>;
    private readonly tokenClock: Clock;
    readonly requests: KeyVaultRequestRecord[] = [];
    private running: RunningStandIn | undefined;

    constructor(private readonly options: KeyVaultStandInOptions) {
        this.faults = new FaultInjector(options.faults?.errors ?? []);
        this.missingRoles = new Set(options.faults?.missingRoles ?? []);
        this.tokenClock = options.tokenClock ?? new RealClock();
    }

    async start(tls: ServerTlsMaterial): Promise<RunningStandIn> {
        this.running = await startHttpsStandIn(tls, (request) => this.record(request, this.handle(request)));
        return this.running;
    }

    async close(): Promise<void> {
        await this.running?.close();
    }

    // ---- inspection and control ----

    /** Seeds a plain secret, as an administrator or the post-provision hook would (az keyvault secret set). */
    setSecret(name: string, value: string): void {
        this.plainSecrets.set(name, { value, version: randomUUID().replace(/-/g, ''), createdMs: this.options.clock.now() });
    }

    certificates(): VaultCertificateView[] {
        return [...this.vault.values()].map((certificate) => ({
            name: certificate.name,
            pendingStatus: certificate.operation?.status,
            versions: certificate.versions.map((version) => {
                const { wire: _wire, ...policy } = version.policy;
                const issued = version.issued;
                return {
                    version: version.version,
                    status: issued === undefined ? ('pending' as const) : ('issued' as const),
                    thumbprint: issued?.thumbprint,
                    notBefore: issued === undefined ? undefined : new Date(issued.notBeforeMs).toISOString(),
                    notAfter: issued === undefined ? undefined : new Date(issued.notAfterMs).toISOString(),
                    tags: version.tags,
                    policy,
                };
            }),
        }));
    }

    /** Requests to the secrets collection (the PFX), to prove who touched the private key. */
    secretRequests(): KeyVaultRequestRecord[] {
        return this.requests.filter((request) => request.path.startsWith('/secrets/'));
    }

    /** Every secret the vault holds: the plain secrets and the PFX (base64) of each issued certificate version, for tests that prove none leaks. */
    secretValues(): { readonly name: string; readonly kind: 'secret' | 'pfx'; readonly value: string }[] {
        const pfxs = [...this.vault.values()].flatMap((certificate) =>
            certificate.versions.flatMap((version) => (version.issued === undefined ? [] : [{ name: `${certificate.name}/${version.version}`, kind: 'pfx' as const, value: version.issued.pfxBase64 }])),
        );
        return [...[...this.plainSecrets].map(([name, secret]) => ({ name, kind: 'secret' as const, value: secret.value })), ...pfxs];
    }

    injectFault(fault: Parameters<typeof statusFaultSchema.parse>[0]): void {
        this.faults.add(statusFaultSchema.parse(fault));
    }

    setMissingRoles(roles: readonly KeyVaultRole[]): void {
        this.missingRoles.clear();
        for (const role of roles) this.missingRoles.add(role);
    }

    // ---- HTTP ----

    private record(request: StandInRequest, response: StandInResponse): StandInResponse {
        const payload = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(request.headers.authorization ?? '')?.[1];
        let tokenAudience: string | undefined;
        try {
            tokenAudience = payload === undefined ? undefined : (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: string }).aud;
        } catch {
            tokenAudience = undefined;
        }
        this.requests.push({ method: request.method, host: request.host, path: request.path, status: response.status, tokenAudience });
        return response;
    }

    private resourceFor(host: string): string {
        return `https://${host.split('.').slice(1).join('.')}`;
    }

    private challenge(host: string): Record<string, string> {
        return { 'www-authenticate': `Bearer authorization="${this.options.authorityHost}/${this.options.tenantId}", resource="${this.resourceFor(host)}"` };
    }

    private handle(request: StandInRequest): StandInResponse {
        if (request.headers.authorization === undefined) {
            return vaultError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', this.challenge(request.host));
        }
        const check = this.options.verifier.check(request.headers.authorization, this.resourceFor(request.host), this.tokenClock.now());
        if (!check.ok || check.claims.tid !== this.options.tenantId) {
            const reason = check.ok ? 'AKV10032: Invalid issuer.' : `AKV10022: Invalid token (${check.reason}).`;
            return vaultError(401, 'Unauthorized', reason, this.challenge(request.host));
        }
        const [collection = '', name = '', rest = ''] = request.path.split('/').filter((part) => part.length > 0);
        const role = roleFor(collection, request.method);
        if (role === undefined) return vaultError(400, 'BadParameter', `Unknown collection '${collection}'.`);
        if (this.missingRoles.has(role)) {
            return vaultError(
                403,
                'Forbidden',
                `Caller is not authorized to perform action on resource.\r\nCaller: appid=${check.claims.appid};oid=${check.claims.oid}\r\nAction: 'Microsoft.KeyVault/vaults/${collection}/${request.method === 'GET' ? 'read' : 'create/action'}'\r\nAssignment: (not found)\r\nVault: ${request.host.split('.')[0] ?? ''}`,
                {},
                'ForbiddenByRbac',
            );
        }
        const fault = this.faults.next(request.method, request.path);
        if (fault?.status === 'reset') return CONNECTION_RESET;
        if (fault?.status === 'lostAnswer') return (this.route(request, collection, name, rest), CONNECTION_RESET);
        if (fault !== undefined) {
            return vaultError(fault.status, FAULT_CODES[fault.status] ?? 'Error', `Injected ${fault.status} by the Key Vault stand-in.`, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
        }
        return this.route(request, collection, name, rest);
    }

    private route(request: StandInRequest, collection: string, name: string, rest: string): StandInResponse {
        if (collection === 'secrets' && request.method === 'GET') return this.getSecret(request.host, name, rest);
        if (collection === 'secrets' && request.method === 'PUT' && rest === '') return this.putSecret(request, name);
        if (collection === 'secrets' && request.method === 'DELETE' && rest === '') return this.deleteSecret(request.host, name);
        if (collection === 'deletedsecrets' && request.method === 'GET') return this.getDeletedSecret(request.host, name);
        if (collection === 'deletedsecrets' && request.method === 'POST' && rest === 'recover') return this.recoverDeletedSecret(request.host, name);
        if (collection === 'certificates') return this.certificateRoute(request, name, rest);
        return vaultError(405, 'BadParameter', `Method ${request.method} is not allowed.`);
    }

    private certificateRoute(request: StandInRequest, name: string, rest: string): StandInResponse {
        if (request.method === 'POST' && rest === 'create') return this.create(request, name);
        if (request.method !== 'GET') return vaultError(405, 'BadParameter', `Method ${request.method} is not allowed.`);
        if (rest === 'pending') return this.pending(request.host, name);
        if (rest === 'versions') return this.versions(request.host, name);
        return this.getCertificate(request.host, name, rest);
    }

    /** Completes creations whose time has come on the world clock. */
    private settle(certificate: VaultCertificate): void {
        const operation = certificate.operation;
        if (operation?.status !== 'inProgress' || this.options.clock.now() < operation.completesAtMs) return;
        const version = certificate.versions.find((candidate) => candidate.version === operation.version);
        if (version !== undefined) version.issued = issueSelfSigned(operation.policy, operation.version, this.options.clock.now());
        operation.status = 'completed';
    }

    private lookup(name: string): VaultCertificate | undefined {
        const certificate = this.vault.get(name.toLowerCase());
        if (certificate !== undefined) this.settle(certificate);
        return certificate;
    }

    private create(request: StandInRequest, name: string): StandInResponse {
        if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) return vaultError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
        const body = JSON.parse(request.body.toString('utf8') || '{}') as { policy?: unknown; tags?: Record<string, string> };
        const existing = this.lookup(name);
        if (existing?.operation?.status === 'inProgress') {
            return vaultError(409, 'Conflict', `There is a pending operation on certificate '${name}'.`);
        }
        const certificate: VaultCertificate = existing ?? { name, versions: [], operation: undefined };
        const delayMs = (this.options.faults?.creationDelaySeconds ?? 0) * 1000;
        const version: VaultVersion = { version: newVersionId(), policy: readRequestedPolicy(body.policy), tags: body.tags ?? {}, createdMs: this.options.clock.now(), issued: undefined };
        certificate.versions.push(version);
        certificate.operation = {
            requestId: randomUUID().replace(/-/g, ''),
            version: version.version,
            policy: version.policy,
            tags: version.tags,
            completesAtMs: this.options.clock.now() + delayMs,
            status: 'inProgress',
        };
        this.vault.set(name.toLowerCase(), certificate);
        return { status: 202, headers: { location: `https://${request.host}/certificates/${name}/pending?api-version=${request.query.get('api-version') ?? ''}` }, body: operationJson(request.host, certificate) };
    }

    private pending(host: string, name: string): StandInResponse {
        const certificate = this.lookup(name);
        if (certificate?.operation === undefined) return vaultError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
        return { status: 200, body: operationJson(host, certificate) };
    }



    private getCertificate(host: string, name: string, version: string): StandInResponse {
        const certificate = this.lookup(name);
        const found = version === '' ? certificate?.versions.at(-1) : certificate?.versions.find((candidate) => candidate.version === version);
        if (certificate === undefined || found === undefined) {
            return vaultError(404, 'CertificateNotFound', `A certificate with (name/id) ${name}${version === '' ? '' : `/${version}`} was not found in this key vault.`);
        }
        return { status: 200, body: certificateBundle(host, certificate, found) };
    }

    private versions(host: string, name: string): StandInResponse {
        const certificate = this.lookup(name);
        if (certificate === undefined) return vaultError(404, 'CertificateNotFound', `A certificate with (name/id) ${name} was not found in this key vault.`);
        const value = certificate.versions.map((version) => {
            const { cer: _cer, kid: _kid, sid: _sid, policy: _policy, ...item } = certificateBundle(host, certificate, version);
            return item;
        });
        return { status: 200, body: { value, nextLink: null } };
    }

    /** Set Secret (https://learn.microsoft.com/rest/api/keyvault/secrets/set-secret): a new version, the new version's bundle. */
    private putSecret(request: StandInRequest, name: string): StandInResponse {
        let value: unknown;
        try {
            value = (JSON.parse(request.body.toString('utf8')) as { value?: unknown }).value;
        } catch {
            value = undefined;
        }
        if (typeof value !== 'string') return vaultError(400, 'BadParameter', 'The parameter value is required.');
        // With soft delete, a deleted secret's name cannot be reused until it is recovered or purged: 409, inner
        // ObjectIsDeletedButRecoverable (learn.microsoft.com/azure/key-vault/general/soft-delete-overview, "Key Vault
        // recovery"; the answer as quoted in microsoft/AzureKeyVaultExplorer#42 and external-secrets/external-secrets#3519).
        if (this.deletedSecrets.has(name)) {
            return vaultError(
                409,
                'Conflict',
                `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
                {},
                'ObjectIsDeletedButRecoverable',
            );
        }
        this.setSecret(name, value);
        const stored = this.plainSecrets.get(name);
        const created = Math.floor((stored?.createdMs ?? 0) / 1000);
        return { status: 200, body: { value, id: `https://${request.host}/secrets/${name}/${stored?.version ?? ''}`, attributes: { enabled: true, created, updated: created, recoveryLevel: 'Recoverable+Purgeable' }, tags: {} } };
    }

    /** Delete Secret (https://learn.microsoft.com/rest/api/keyvault/secrets/delete-secret): soft-deleted, no longer readable, listed under deletedsecrets. */
    private deleteSecret(host: string, name: string): StandInResponse {
        const secret = this.plainSecrets.get(name);
        if (secret === undefined) return vaultError(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
        this.plainSecrets.delete(name);
        const deletedDate = Math.floor(this.options.clock.now() / 1000);
        this.deletedSecrets.set(name, { deletedDate, secret });
        return { status: 200, body: this.deletedBundle(host, name, deletedDate) };
    }

    private getDeletedSecret(host: string, name: string): StandInResponse {
        const deleted = this.deletedSecrets.get(name);
        if (deleted === undefined) return vaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
        return { status: 200, body: this.deletedBundle(host, name, deleted.deletedDate) };
    }

    /** Recover Deleted Secret (https://learn.microsoft.com/rest/api/keyvault/secrets/recover-deleted-secret): the secret is back, as it was, with its versions. */
    private recoverDeletedSecret(host: string, name: string): StandInResponse {
        const deleted = this.deletedSecrets.get(name);
        if (deleted === undefined) return vaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
        this.deletedSecrets.delete(name);
        this.plainSecrets.set(name, deleted.secret);
        const created = Math.floor(deleted.secret.createdMs / 1000);
        return { status: 200, body: { id: `https://${host}/secrets/${name}/${deleted.secret.version}`, attributes: { enabled: true, created, updated: created, recoveryLevel: 'Recoverable+Purgeable' }, tags: {} } };
    }

    private deletedBundle(host: string, name: string, deletedDate: number): Record<string, unknown> {
        return {
            recoveryId: `https://${host}/deletedsecrets/${name}`,
            deletedDate,
            scheduledPurgeDate: deletedDate + 90 * 86_400,
            id: `https://${host}/secrets/${name}`,
            attributes: { enabled: true, recoveryLevel: 'Recoverable+Purgeable' },
        };
    }

    /** Whether a plain secret is there now (tests). */
    hasSecret(name: string): boolean {
        return this.plainSecrets.has(name);
    }

    private getSecret(host: string, name: string, version: string): StandInResponse {
        const plain = this.plainSecrets.get(name);
        if (plain !== undefined && (version === '' || version === plain.version)) {
            const created = Math.floor(plain.createdMs / 1000);
            return { status: 200, body: { value: plain.value, id: `https://${host}/secrets/${name}/${plain.version}`, attributes: { enabled: true, created, updated: created, recoveryLevel: 'Recoverable+Purgeable' }, tags: {} } };
        }
        const certificate = this.lookup(name);
        const issuedVersions = certificate?.versions.filter((candidate) => candidate.issued !== undefined);
        const found = version === '' ? issuedVersions?.at(-1) : issuedVersions?.find((candidate) => candidate.version === version);
        if (certificate === undefined || found?.issued === undefined) {
            return vaultError(404, 'SecretNotFound', `A secret with (name/id) ${name}${version === '' ? '' : `/${version}`} was not found in this key vault.`);
        }
        return { status: 200, body: secretBundle(host, certificate, found, found.issued) };
    }
}
