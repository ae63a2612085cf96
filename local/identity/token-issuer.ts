import { createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { rsaPrivateKeyPem } from '../scenario/rsa-keys';
import { RealClock, type Clock } from '../clock';
import type { ServerTlsMaterial } from '../tls/test-authority';
import { startHttpsStandIn, type RunningStandIn, type StandInRequest, type StandInResponse } from './https-stand-in';
import { TOKEN_EXCHANGE_AUDIENCES } from '../../lib/identity/token-exchange';
import { LocalDirectories, type MultiTenantApplication } from './federated-applications';
import { signRs256, TokenVerifier, type AccessTokenClaims, type PublicJwk } from './jwt';

/**
 * An application the issuer knows, and the Graph application roles consented to it. Local clients
 * have no secret: the issuer listens on loopback only and stands in for the managed identity, which
 * has none either.
 */
export interface IssuerClient {
    readonly tenantId: string;
    readonly clientId: string;
    readonly objectId: string;
    /** Application roles put in tokens for Microsoft Graph audiences (e.g. Application.ReadWrite.All). */
    roles: readonly string[];
    /** A caller of the product's own API: its app roles there, put in tokens for those audiences. */
    readonly apiCaller?: ApiCallerIdentity;
}

/**
 * A user or service principal assigned app roles of an API (Entra admin center, Enterprise
 * applications, Users and groups): tokens for the API's audiences carry them in `roles`, as Entra
 * ID puts app role assignments there (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps).
 */
export interface ApiCallerIdentity {
    /** The API's app id URI and client id: the audiences whose tokens carry these roles. */
    readonly audiences: readonly string[];
    readonly roles: readonly string[];
    readonly displayName: string;
    /** Users only: their user principal name (tokens then have idtyp "user" and the upn claim). */
    readonly upn?: string;
    /** A confidential client's secret: the token endpoint then requires it as client_secret. */
    readonly secret?: string;
}

export interface TokenRequestRecord {
    readonly host: string;
    readonly tenant: string;
    readonly clientId: string;
    readonly scope: string;
    readonly outcome: 'issued' | 'rejected';
}

const GRAPH_AUDIENCE_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

function isGraphAudience(audience: string): boolean {
    try {
        return GRAPH_AUDIENCE_HOSTS.has(new URL(audience).hostname);
    } catch {
        return false;
    }
}

const EXCHANGE_AUDIENCES = new Set(Object.values(TOKEN_EXCHANGE_AUDIENCES));
/** RFC 7523 section 2.2, as Entra's client-credentials grant with a federated credential takes it (v2-oauth2-client-creds-grant-flow, "Third case"). */
const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function oauthError(status: number, error: string, description: string): StandInResponse {
    return { status, body: { error, error_description: description, error_codes: [], timestamp: new Date().toISOString(), trace_id: randomUUID() } };
}

/**
 * The local world's Entra ID token endpoint: OpenID discovery, JWKS and the client-credentials grant
 * on `/{tenant}/oauth2/v2.0/token`, answering for whatever login host the client believes it calls
 * (login.microsoftonline.com, .us, .partner.microsoftonline.cn). Tokens are RS256 JWTs with audience, roles and
 * expiry. Token times use `tokenClock` (real by default) so that a virtual world clock moving days
 * ahead does not expire tokens the client library still holds as fresh.
 */
export class LocalTokenIssuer {
    private readonly privateKey: KeyObject;
    private readonly kid = randomBytes(8).toString('hex');
    readonly jwks: { readonly keys: readonly PublicJwk[] };
    private readonly clients = new Map<string, IssuerClient>();
    /** Directories, their domains, the provider's multi-tenant applications and each directory's consent. */
    readonly directories = new LocalDirectories();
    readonly tokenRequests: TokenRequestRecord[] = [];
    private running: RunningStandIn | undefined;

    constructor(
        readonly tokenClock: Clock = new RealClock(),
        private readonly lifetimeSeconds = 3600,
        signingKey: KeyObject = createPrivateKey(rsaPrivateKeyPem(2048)),
    ) {
        this.privateKey = signingKey;
        this.jwks = { keys: [{ ...createPublicKey(signingKey).export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' }] };
    }

    /** A verifier built only from the published keys, as a resource server would build it. */
    verifier(): TokenVerifier {
        return new TokenVerifier(this.jwks);
    }

    /** Registers an application; the first one of a tenant answers token requests that name no client. */
    registerClient(tenantId: string, roles: readonly string[]): IssuerClient {
        const client: IssuerClient = { tenantId, clientId: randomUUID(), objectId: randomUUID(), roles: [...roles] };
        this.clients.set(client.clientId, client);
        return client;
    }

    private clientFor(tenant: string, clientId: string | null): IssuerClient | undefined {
        if (clientId !== null) return this.clients.get(clientId);
        return [...this.clients.values()].find((client) => client.tenantId === tenant);
    }

    /** Registers a user or service principal of `tenantId` holding app roles of the product's API. */
    registerApiCaller(tenantId: string, caller: ApiCallerIdentity): IssuerClient {
        const client: IssuerClient = { tenantId, clientId: randomUUID(), objectId: randomUUID(), roles: [], apiCaller: caller };
        this.clients.set(client.clientId, client);
        return client;
    }

    /** Mints a token directly (tests: an expired token, a token for another audience or from another issuer). */
    mint(client: IssuerClient, audience: string, overrides: Partial<Pick<AccessTokenClaims, 'exp' | 'nbf' | 'iat' | 'roles' | 'iss' | 'ver'>> = {}): string {
        const now = Math.floor(this.tokenClock.now() / 1000);
        const api = client.apiCaller !== undefined && client.apiCaller.audiences.some((known) => known.replace(/\/$/, '') === audience.replace(/\/$/, '')) ? client.apiCaller : undefined;
        const claims: AccessTokenClaims = {
            aud: audience,
            iss: `https://sts.windows.net/${client.tenantId}/`,
            iat: now,
            nbf: now - 60,
            exp: now + this.lifetimeSeconds,
            tid: client.tenantId,
            appid: client.clientId,
            oid: client.objectId,
            sub: client.objectId,
            ...(isGraphAudience(audience) ? { roles: client.roles } : {}),
            ...(api === undefined ? {} : { roles: api.roles }),
            ...(api?.upn === undefined ? {} : { upn: api.upn, name: api.displayName }),
            idtyp: api?.upn === undefined ? 'app' : 'user',
            ver: '1.0',
            ...overrides,
        };
        return signRs256(claims, this.privateKey, this.kid);
    }

    async start(tls: ServerTlsMaterial): Promise<RunningStandIn> {
        this.running = await startHttpsStandIn(tls, (request) => this.handle(request));
        return this.running;
    }

    async close(): Promise<void> {
        await this.running?.close();
    }

    private handle(request: StandInRequest): StandInResponse {
        const base = `https://${request.authority}`;
        const segments = request.path.split('/').filter((part) => part.length > 0);
        const rest = segments.slice(1).join('/');
        // A directory is named by its id or by any of its verified domains; an unknown one is
        // AADSTS90002 "Tenant not found" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
        const tenant = this.directories.resolve(segments[0] ?? '');
        if (tenant === undefined) {
            return oauthError(400, 'invalid_tenant', `AADSTS90002: Tenant '${segments[0] ?? ''}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
        }
        if (request.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') {
            return {
                status: 200,
                body: {
                    issuer: `${base}/${tenant}/v2.0`,
                    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
                    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
                    device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
                    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
                    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
                    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
                    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
                    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
                    subject_types_supported: ['pairwise'],
                    id_token_signing_alg_values_supported: ['RS256'],
                    tenant_region_scope: 'WW',
                    cloud_instance_name: request.host,
                },
            };
        }
        if (request.method === 'GET' && rest === 'discovery/v2.0/keys') return { status: 200, body: this.jwks };
        if (request.method === 'POST' && rest === 'oauth2/v2.0/token') return this.token(request, tenant);
        return oauthError(404, 'not_found', `AADSTS90002: no endpoint ${request.method} ${request.path} in the local issuer.`);
    }

    private token(request: StandInRequest, tenant: string): StandInResponse {
        const form = new URLSearchParams(request.body.toString('utf8'));
        if (form.has('client_assertion')) return this.assertionToken(request, tenant, form);
        const scope = form.get('scope') ?? '';
        const client = this.clientFor(tenant, form.get('client_id'));
        const record = (outcome: TokenRequestRecord['outcome']): void => {
            this.tokenRequests.push({ host: request.host, tenant, clientId: client?.clientId ?? form.get('client_id') ?? '', scope, outcome });
        };
        if (client === undefined || client.tenantId !== tenant) {
            record('rejected');
            return oauthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenant}'.`);
        }
        const secret = client.apiCaller?.secret;
        if (secret !== undefined && form.get('client_secret') !== secret) {
            // Entra ID's answer to a wrong or missing secret of a confidential client.
            record('rejected');
            return oauthError(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
        }
        if (form.get('grant_type') !== 'client_credentials') {
            record('rejected');
            return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
        }
        const resourceScope = scope.split(' ').find((part) => part.endsWith('/.default'));
        if (resourceScope === undefined) {
            record('rejected');
            return oauthError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
        }
        record('issued');
        const audience = resourceScope.slice(0, -'/.default'.length);
        // A managed identity's token for the token-exchange audience is what a federated credential
        // trusts: its issuer is the authority URL "https://{login host}/{tenant}/v2.0" and its subject the
        // identity's object id (workload-identity-federation-config-app-trust-managed-identity).
        const exchange = EXCHANGE_AUDIENCES.has(audience) ? { iss: `https://${request.host}/${client.tenantId}/v2.0`, ver: '2.0' as const } : {};
        return this.issued(this.mint(client, audience, exchange));
    }

    private issued(accessToken: string): StandInResponse {
        return { status: 200, body: { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: accessToken } };
    }

    /**
     * The client-credentials grant with a federated credential
     * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, "Third
     * case: Access token request with a federated credential"): the assertion must be a token this
     * authority signed, whose issuer, subject and audience match one federated identity credential of
     * the application (workload-identity-federation-config-app-trust-managed-identity: "the issuer and
     * subject values of the federated identity credential are checked against the issuer and subject
     * claims"); errors as the error code reference names them (reference-error-codes). The token is
     * then issued in the requested directory only if the application has a service principal there.
     */
    private assertionToken(request: StandInRequest, tenant: string, form: URLSearchParams): StandInResponse {
        const clientId = form.get('client_id') ?? '';
        const scope = form.get('scope') ?? '';
        const record = (outcome: TokenRequestRecord['outcome']): void => {
            this.tokenRequests.push({ host: request.host, tenant, clientId, scope, outcome });
        };
        const refuse = (status: number, error: string, description: string): StandInResponse => (record('rejected'), oauthError(status, error, description));
        if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
        if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) {
            return refuse(400, 'invalid_request', `AADSTS50027: client_assertion_type must be ${JWT_BEARER_ASSERTION}.`);
        }
        const application = this.directories.application(clientId);
        if (application === undefined) return refuse(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
        const mismatch = this.federatedMismatch(application, form.get('client_assertion') ?? '');
        if (mismatch !== undefined) return refuse(400, 'invalid_client', mismatch);
        const servicePrincipal = this.directories.servicePrincipal(application.clientId, tenant);
        if (servicePrincipal === undefined) {
            return refuse(
                400,
                'unauthorized_client',
                `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
            );
        }
        const resourceScope = scope.split(' ').find((part) => part.endsWith('/.default'));
        if (resourceScope === undefined) return refuse(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid.`);
        record('issued');
        const asClient: IssuerClient = { tenantId: tenant, clientId: application.clientId, objectId: servicePrincipal.objectId, roles: servicePrincipal.roles };
        return this.issued(this.mint(asClient, resourceScope.slice(0, -'/.default'.length)));
    }

    private federatedMismatch(application: MultiTenantApplication, assertion: string): string | undefined {
        const audiences = new Set(application.federatedCredentials.flatMap((credential) => credential.audiences));
        const checks = [...audiences].map((audience) => this.verifier().check(`Bearer ${assertion}`, audience, this.tokenClock.now()));
        const valid = checks.find((check) => check.ok);
        if (valid === undefined) {
            const reasons = new Set(checks.map((check) => (check.ok ? '' : check.reason)));
            if (reasons.has('expired')) return 'AADSTS700024: Client assertion is not within its valid time range.';
            if (reasons.has('signature') || reasons.has('malformed') || reasons.has('missing')) return 'AADSTS50027: JWT token is invalid or malformed.';
            return 'AADSTS700212: No matching federated identity record found for presented assertion audience.';
        }
        const claims = valid.claims;
        const byIssuer = application.federatedCredentials.filter((credential) => credential.issuer === claims.iss);
        if (byIssuer.length === 0) return `AADSTS700211: No matching federated identity record found for presented assertion issuer '${claims.iss}'.`;
        const bySubject = byIssuer.filter((credential) => credential.subject === claims.sub);
        if (bySubject.length === 0) return `AADSTS700213: No matching federated identity record found for presented assertion subject '${claims.sub}'.`;
        if (!bySubject.some((credential) => credential.audiences.includes(claims.aud))) return 'AADSTS700212: No matching federated identity record found for presented assertion audience.';
        return undefined;
    }
}
