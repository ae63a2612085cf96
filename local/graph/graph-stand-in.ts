import { randomUUID } from 'node:crypto';
import { RealClock, type Clock } from '../clock';
import type { EntraScenario } from '../scenario/entra-schema';
import { statusFaultSchema, type StatusFault } from '../scenario/faults-schema';
import type { EntraKeyView } from '../scenario/world-links';
import type { ServerTlsMaterial } from '../tls/test-authority';
import { CONNECTION_RESET, FaultInjector } from '../identity/fault-injector';
import { startHttpsStandIn, type RunningStandIn, type StandInRequest, type StandInResponse } from '../identity/https-stand-in';
import type { TokenVerifier } from '../identity/jwt';
import type { StandInLatency } from '../latency/stand-in-latency';
import { certificateFacts, graphDateTime, type DirectoryObject, type StoredKeyCredential } from './directory-state';
import { graphError, serialiseObject, UNAUTHENTICATED } from './graph-json';
import { applyKeyCredentialsPatch } from './key-credential-patch';
import { seedDirectory, type CertificateDerLookup } from './seed-directory';

export interface GraphStandInOptions {
    readonly entra: EntraScenario;
    readonly faults?: readonly StatusFault[];
    /** keyIds of seeded credentials whose certificates are lost silently on the next PATCH that keeps them (scenario faults.graphSilentDrops). */
    readonly silentDrops?: readonly string[];
    readonly verifier: TokenVerifier;
    readonly certificateDer: CertificateDerLookup;
    /** The world clock: seeds default dates of generated certificates. */
    readonly clock: Clock;
    /** Clock for token lifetimes; real by default (see LocalTokenIssuer). */
    readonly tokenClock?: Clock;
    /** Simulated answer time of every request (benchmarks); none by default. */
    readonly latency?: StandInLatency;
}

function credentialViews(credentials: readonly StoredKeyCredential[]): KeyCredentialView[] {
    return credentials.map((credential) => ({
        keyId: credential.keyId,
        displayName: credential.displayName,
        usage: credential.usage,
        thumbprint: certificateFacts(credential.key)?.thumbprint ?? '',
        customKeyIdentifier: credential.customKeyIdentifier,
        startDateTime: credential.startDateTime,
        endDateTime: credential.endDateTime,
    }));
}

/** What a request looked like, for assertions: never the token itself. */
export interface GraphRequestRecord {
    readonly method: string;
    readonly host: string;
    readonly path: string;
    readonly query: string;
    readonly tokenAudience: string | undefined;
    readonly status: number;
    readonly body: unknown;
    /** When it arrived, on the world clock. */
    readonly atMs: number;
}

export interface KeyCredentialView {
    readonly keyId: string;
    readonly displayName: string | null;
    readonly usage: string;
    readonly thumbprint: string;
    readonly customKeyIdentifier: string | null;
    readonly startDateTime: string;
    readonly endDateTime: string;
}

const READ_ROLES = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const WRITE_ROLES = ['Application.ReadWrite.All', 'Directory.ReadWrite.All'];
const COLLECTIONS = { servicePrincipals: 'servicePrincipal', applications: 'application' } as const;
type CollectionName = keyof typeof COLLECTIONS;

const FAULT_CODES: Record<number, string> = { 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable', 504: 'GatewayTimeout' };


/**
 * Microsoft Graph for the key target of one tenant, over HTTPS: service principals and applications
 * filtered by appId, single-object GET (key only with $select=keyCredentials), PATCH with Graph's
 * keyCredentials rules and error texts (each cited in key-credential-patch.ts), token checks (audience = the Graph host called, roles),
 * injected 429/5xx with Retry-After. Implements EntraKeyView for the simulated Exchange probe.
 */
/** One Entra ID directory as Graph serves it: its objects and where its key target is. */
interface Directory {
    readonly entra: EntraScenario;
    readonly objects: DirectoryObject[];
}

export class GraphStandIn implements EntraKeyView {
    /** By tenant id (lower case): Graph serves each request from the directory its token was issued for. */
    private readonly directories = new Map<string, Directory>();
    private readonly primaryTenantId: string;
    private readonly faults: FaultInjector;
    private readonly pendingDrops: Set<string>;
    private race: { readonly credential: StoredKeyCredential; snapshot: StoredKeyCredential[] | undefined } | undefined;
    private readonly tokenClock: Clock;
    /** When each certificate's key was first added by a PATCH (world clock), for the replication delay. */
    private readonly addedAtMs = new Map<string, number>();
    readonly requests: GraphRequestRecord[] = [];
    private running: RunningStandIn | undefined;

    constructor(private readonly options: GraphStandInOptions) {
        this.primaryTenantId = options.entra.tenantId.toLowerCase();
        this.addDirectory(options.entra);
        this.faults = new FaultInjector(options.faults ?? []);
        this.tokenClock = options.tokenClock ?? new RealClock();
        this.pendingDrops = new Set((options.silentDrops ?? []).map((keyId) => this.thumbprintOf(keyId)));
    }

    async start(tls: ServerTlsMaterial): Promise<RunningStandIn> {
        const latency = this.options.latency;
        this.running = await startHttpsStandIn(
            tls,
            latency === undefined
                ? (request) => this.record(request, this.handle(request))
                : async (request) => {
                      await latency.wait('graphCall');
                      return this.record(request, this.handle(request));
                  },
        );
        return this.running;
    }

    async close(): Promise<void> {
        await this.running?.close();
    }

    /** Another customer's directory, seeded from its Entra part (several directories behind one Graph, as in the real service). */
    addDirectory(entra: EntraScenario): void {
        const tenantId = entra.tenantId.toLowerCase();
        if (this.directories.has(tenantId)) throw new Error(`directory ${tenantId} is already served`);
        this.directories.set(tenantId, { entra, objects: seedDirectory(entra, this.options.certificateDer, this.options.clock.now()) });
    }

    private directory(tenantId: string = this.primaryTenantId): Directory {
        const directory = this.directories.get(tenantId.toLowerCase());
        if (directory === undefined) throw new Error(`the Graph stand-in serves no directory ${tenantId}`);
        return directory;
    }

    // ---- inspection and control (tests, demo) ----

    /** The key target's credentials as stored now (thumbprints instead of keys), in the first directory or the one named. */
    keyTargetCredentials(tenantId?: string): KeyCredentialView[] {
        return credentialViews(this.keyTarget(tenantId)?.keyCredentials ?? []);
    }

    /** An application's credentials as stored now (the dedicated hybrid application, say), in the first directory or the one named. */
    applicationCredentials(appId: string, tenantId?: string): KeyCredentialView[] {
        return credentialViews(this.application(appId, tenantId).keyCredentials);
    }

    /**
     * An administrator uploads a certificate's key to an application outside the product, as CSS-Exchange
     * ConfigureExchangeHybridApplication.ps1 -UpdateCertificate does for the dedicated hybrid application.
     */
    uploadCertificate(appId: string, derBase64: string, displayName: string, tenantId?: string): StoredKeyCredential {
        const facts = certificateFacts(derBase64);
        if (facts === undefined) throw new Error('uploadCertificate: not a DER X.509 certificate');
        const credential: StoredKeyCredential = {
            keyId: randomUUID(),
            type: 'AsymmetricX509Cert',
            usage: 'Verify',
            key: derBase64,
            customKeyIdentifier: facts.thumbprint,
            displayName,
            startDateTime: graphDateTime(facts.notBeforeMs),
            endDateTime: graphDateTime(facts.notAfterMs),
        };
        this.application(appId, tenantId).keyCredentials.push(credential);
        return credential;
    }

    private application(appId: string, tenantId?: string): DirectoryObject {
        const found = this.directory(tenantId).objects.find((object) => object.kind === 'application' && object.appId.toLowerCase() === appId.toLowerCase());
        if (found === undefined) throw new Error(`no application ${appId} in the directory`);
        return found;
    }

    keyTarget(tenantId?: string): Readonly<DirectoryObject> | undefined {
        const { entra, objects } = this.directory(tenantId);
        const kind = entra.keyTarget.kind === 'application' ? 'application' : 'servicePrincipal';
        const appId = entra.keyTarget.kind === 'application' ? entra.keyTarget.appId : undefined;
        return objects.find((object) => object.kind === kind && (appId === undefined || object.appId === appId));
    }

    /** What the simulated Exchange organization of one customer sees of its own directory. */
    viewOf(tenantId: string): EntraKeyView {
        return { hasValidKeyCredential: (der, atMs) => this.hasValidKeyCredential(der, atMs, tenantId) };
    }

    /** Drift: an administrator deletes a key credential in the Entra portal. */
    deleteKeyCredential(keyId: string): void {
        const target = this.keyTarget();
        const index = target?.keyCredentials.findIndex((credential) => credential.keyId === keyId) ?? -1;
        if (target === undefined || index < 0) throw new Error(`no key credential ${keyId}`);
        target.keyCredentials.splice(index, 1);
    }

    /**
     * Another writer, outside the product, races the product's next write: it reads the key target
     * when the product does (the next single-object read with keys) and PATCHes what it read plus its
     * own credential just after the product's PATCH, before the product reads back. Graph keeps the
     * last PATCH (it replaces the whole collection: learn.microsoft.com/graph/api/
     * serviceprincipal-update, keyCredentials), so the product's key is gone from the collection.
     */
    outsideWriterRacesNextWrite(credential: StoredKeyCredential): void {
        this.race = { credential, snapshot: undefined };
    }

    /** The next PATCH that keeps this credential's certificate loses it silently. */
    dropOnNextPatch(keyId: string): void {
        this.pendingDrops.add(this.thumbprintOf(keyId));
    }

    private thumbprintOf(keyId: string): string {
        const credential = this.keyTarget()?.keyCredentials.find((candidate) => candidate.keyId === keyId);
        const thumbprint = credential === undefined ? undefined : certificateFacts(credential.key)?.thumbprint;
        if (thumbprint === undefined) throw new Error(`no key credential ${keyId} on the key target`);
        return thumbprint;
    }

    injectFault(fault: Parameters<typeof statusFaultSchema.parse>[0]): void {
        this.faults.add(statusFaultSchema.parse(fault));
    }

    patchBodies(): unknown[] {
        return this.requests.filter((request) => request.method === 'PATCH').map((request) => request.body);
    }

    hasValidKeyCredential(certificateDerBase64: string, atMs: number, tenantId?: string): boolean {
        const thumbprint = certificateFacts(certificateDerBase64)?.thumbprint;
        // Entra ID is eventually consistent: a key just written is not honoured everywhere at once ("Designing for
        // Eventual Consistency for Microsoft Entra", devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/).
        const delayMs = this.directory(tenantId).entra.keyReplicationSeconds * 1000;
        const addedAt = thumbprint === undefined ? undefined : this.addedAtMs.get(thumbprint);
        if (delayMs > 0 && addedAt !== undefined && atMs < addedAt + delayMs) return false;
        return (this.keyTarget(tenantId)?.keyCredentials ?? []).some(
            (credential) =>
                credential.usage === 'Verify' &&
                certificateFacts(credential.key)?.thumbprint === thumbprint &&
                Date.parse(credential.startDateTime) <= atMs &&
                atMs <= Date.parse(credential.endDateTime),
        );
    }

    // ---- HTTP ----

    private record(request: StandInRequest, response: StandInResponse): StandInResponse {
        const token = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(request.headers.authorization ?? '')?.[1];
        let tokenAudience: string | undefined;
        try {
            tokenAudience = token === undefined ? undefined : (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { aud?: string }).aud;
        } catch {
            tokenAudience = undefined;
        }
        let body: unknown;
        try {
            body = request.body.length === 0 ? undefined : JSON.parse(request.body.toString('utf8'));
        } catch {
            body = request.body.toString('utf8');
        }
        this.requests.push({ method: request.method, host: request.host, path: request.path, query: request.query.toString(), tokenAudience, status: response.status, body, atMs: this.options.clock.now() });
        return response;
    }

    private handle(request: StandInRequest): StandInResponse {
        const match = /^\/v1\.0\/(servicePrincipals|applications)(?:\/([^/]+))?$/.exec(request.path);
        const write = request.method === 'PATCH';
        const check = this.options.verifier.check(request.headers.authorization, `https://${request.host}`, this.tokenClock.now());
        if (!check.ok) return graphError(401, 'InvalidAuthenticationToken', UNAUTHENTICATED[check.reason] ?? 'Access token validation failure.');
        // Graph serves a request from the directory its token was issued for (the tid claim): objects
        // of other directories do not exist for it (https://learn.microsoft.com/graph/auth-v2-service,
        // "the tenant ... the app is requesting permission to access"; an id unknown there answers 404,
        // https://learn.microsoft.com/graph/errors). A tid this world has no directory for is its bug.
        const directory = this.directories.get(check.claims.tid.toLowerCase());
        if (directory === undefined) {
            return graphError(401, 'InvalidAuthenticationToken', `Access token validation failure: the Graph stand-in serves no directory ${check.claims.tid} (the real service would; the local world lacks it).`);
        }
        const roles = check.claims.roles ?? [];
        if (!(write ? WRITE_ROLES : READ_ROLES).some((role) => roles.includes(role))) {
            return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
        }
        const fault = this.faults.next(request.method, request.path);
        if (fault?.status === 'reset') return CONNECTION_RESET;
        if (fault?.status === 'lostAnswer') return (this.route(request, match, directory), CONNECTION_RESET);
        if (fault !== undefined) {
            return graphError(fault.status, FAULT_CODES[fault.status] ?? 'UnknownError', `Injected ${fault.status} by the Graph stand-in.`, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
        }
        return this.route(request, match, directory);
    }

    private route(request: StandInRequest, match: RegExpExecArray | null, directory: Directory): StandInResponse {
        const objects = directory.objects;
        const write = request.method === 'PATCH';
        if (match === null) return graphError(400, 'BadRequest', `Resource not found for the segment '${request.path.split('/')[2] ?? ''}'.`);
        const collection = match[1] as CollectionName;
        const id = match[2];
        if (id === undefined && request.method === 'GET') return this.list(request, collection, objects);
        if (id !== undefined && request.method === 'GET') return this.getOne(request, collection, id, objects);
        if (id !== undefined && write) return this.patch(request, collection, id, directory);
        return graphError(405, 'Request_BadRequest', `Method ${request.method} is not allowed here.`);
    }

    private find(objects: readonly DirectoryObject[], collection: CollectionName, id: string): DirectoryObject | undefined {
        return objects.find((object) => object.kind === COLLECTIONS[collection] && object.id === id);
    }

    private list(request: StandInRequest, collection: CollectionName, objects: readonly DirectoryObject[]): StandInResponse {
        const filter = request.query.get('$filter');
        const appId = filter === null ? undefined : /^appId eq '([^']*)'$/.exec(filter.trim())?.[1];
        if (filter !== null && appId === undefined) return graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
        const found = objects.filter((object) => object.kind === COLLECTIONS[collection] && (appId === undefined || object.appId === appId));
        return {
            status: 200,
            body: { '@odata.context': `https://${request.host}/v1.0/$metadata#${collection}`, value: found.map((object) => serialiseObject(object, request.query.get('$select'), false)) },
        };
    }

    private getOne(request: StandInRequest, collection: CollectionName, id: string, objects: readonly DirectoryObject[]): StandInResponse {
        const object = this.find(objects, collection, id);
        if (object === undefined) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
        const select = request.query.get('$select');
        const showKeys = select !== null && select.split(',').map((field) => field.trim()).includes('keyCredentials');
        if (showKeys && this.race !== undefined && this.race.snapshot === undefined) this.race.snapshot = [...object.keyCredentials];
        return { status: 200, body: { '@odata.context': `https://${request.host}/v1.0/$metadata#${collection}/$entity`, ...serialiseObject(object, select, showKeys) } };
    }

    private patch(request: StandInRequest, collection: CollectionName, id: string, directory: Directory): StandInResponse {
        const object = this.find(directory.objects, collection, id);
        if (object === undefined) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
        let body: { keyCredentials?: unknown };
        try {
            body = JSON.parse(request.body.toString('utf8')) as { keyCredentials?: unknown };
        } catch {
            return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
        }
        if (!('keyCredentials' in body)) return { status: 204 };
        const maxLifetimeDays = directory.entra.maxKeyCredentialLifetimeDays;
        const policy = { collection, ...(maxLifetimeDays === undefined ? {} : { maxLifetimeDays }) };
        const outcome = applyKeyCredentialsPatch(object.keyCredentials, body.keyCredentials, policy);
        if (!outcome.ok) return graphError(400, 'Request_BadRequest', outcome.message);
        const storedBefore = new Set(object.keyCredentials.map((credential) => certificateFacts(credential.key)?.thumbprint));
        for (const credential of outcome.keyCredentials) {
            const thumbprint = certificateFacts(credential.key)?.thumbprint;
            if (thumbprint !== undefined && !storedBefore.has(thumbprint)) this.addedAtMs.set(thumbprint, this.options.clock.now());
        }
        // Drops are by certificate: the PATCH re-creates each kept credential under a new keyId.
        object.keyCredentials = outcome.keyCredentials.filter((credential) => !this.pendingDrops.delete(certificateFacts(credential.key)?.thumbprint ?? ''));
        const race = this.race;
        if (race?.snapshot !== undefined) {
            this.race = undefined;
            object.keyCredentials = [...race.snapshot, race.credential];
        }
        return { status: 204 };
    }

}
