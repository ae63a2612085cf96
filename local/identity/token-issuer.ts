import { createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { rsaPrivateKeyPem } from '../scenario/rsa-keys';
import { RealClock, type Clock } from '../clock';
import type { ServerTlsMaterial } from '../tls/test-authority';
import { startHttpsStandIn, type RunningStandIn, type StandInRequest, type StandInResponse } from './https-stand-in';
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
    mint(client: IssuerClient, audience: string, overrides: Partial<Pick<AccessTokenClaims, 'exp' | 'nbf' | 'iat' | 'roles' | 'iss'>> = {}): string {
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
        const base = `https://${request.host}`;
        const segments = request.path.split('/').filter((part) => part.length > 0);
        const tenant = segments[0] ?? '';
        const rest = segments.slice(1).join('/');
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
        return {
            status: 200,
            body: { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: this.mint(client, audience) },
        };
    }
}
