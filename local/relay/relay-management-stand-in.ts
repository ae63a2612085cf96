import { randomBytes } from 'node:crypto';
import { RELAY_API_VERSION } from '../../lib/relay/relay-management';
import { RealClock, type Clock } from '../clock';
import { startHttpsStandIn, type RunningStandIn, type StandInRequest, type StandInResponse } from '../identity/https-stand-in';
import type { TokenVerifier } from '../identity/jwt';
import type { ServerTlsMaterial } from '../tls/test-authority';
import type { SasRule, RelayStandIn } from './stand-in-types';

export interface RelayManagementStandInOptions {
    readonly relay: RelayStandIn;
    /** "/subscriptions/.../providers/Microsoft.Relay/namespaces/<name>": the namespace the relay stand-in is. */
    readonly namespaceId: string;
    /** The namespace-level Send rule senders use (the product's): every hybrid connection accepts it. */
    readonly sendRule: SasRule;
    readonly verifier: TokenVerifier;
    /** Object ids holding a role on the namespace that allows writes (infra: the custom role "Push proxy organization enrollment"). */
    readonly authorizedPrincipals: readonly string[];
    readonly tokenClock?: Clock;
}

export interface ManagementRequestRecord {
    readonly method: string;
    readonly path: string;
    readonly status: number;
}

/**
 * The Microsoft.Relay operation Azure RBAC checks for a control-plane request on a hybrid connection
 * (the operations Get-AzRelayOperation lists; "Azure permissions for Integration",
 * https://learn.microsoft.com/azure/role-based-access-control/permissions/integration#microsoftrelay):
 * GET, PUT and DELETE of the connection are its read, write and Delete; PUT of one of its rules is
 * authorizationRules/write, POST .../listKeys authorizationRules/listkeys/action. Undefined for any
 * other request.
 */
export function relayActionOf(method: string, path: string): string | undefined {
    const below = /\/hybridConnections\/[^/]+(\/.*)?$/i.exec(path);
    if (below === null) return undefined;
    const rest = (below[1] ?? '').toLowerCase();
    const connection = 'Microsoft.Relay/namespaces/HybridConnections';
    if (rest === '') return ({ GET: `${connection}/read`, PUT: `${connection}/write`, DELETE: `${connection}/Delete` } as Record<string, string>)[method];
    if (/^\/authorizationrules\/[^/]+$/.test(rest)) return ({ GET: `${connection}/authorizationRules/read`, PUT: `${connection}/authorizationRules/write`, DELETE: `${connection}/authorizationRules/delete` } as Record<string, string>)[method];
    if (/^\/authorizationrules\/[^/]+\/listkeys$/.test(rest) && method === 'POST') return `${connection}/authorizationRules/listkeys/action`;
    return undefined;
}

function armError(status: number, code: string, message: string): StandInResponse {
    // ARM's error envelope: https://learn.microsoft.com/azure/azure-resource-manager/management/common-deployment-errors
    return { status, body: { error: { code, message } } };
}

/**
 * Azure Resource Manager for the relay namespace of the local world: the Microsoft.Relay control
 * plane at api-version 2024-01-01 (https://learn.microsoft.com/rest/api/relay/controlplane-stable:
 * Hybrid Connections Create Or Update / Get / Delete, Create Or Update Authorization Rule, List Keys),
 * each hybrid connection it creates served at once by the relay stand-in. Bearer tokens for the
 * Resource Manager audience only; a principal without a role on the namespace gets 403
 * AuthorizationFailed (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
 */
export class RelayManagementStandIn {
    private readonly listenRules = new Map<string, Map<string, SasRule>>();
    readonly requests: ManagementRequestRecord[] = [];
    private running: RunningStandIn | undefined;

    constructor(private readonly options: RelayManagementStandInOptions) {}

    async start(tls: ServerTlsMaterial): Promise<RunningStandIn> {
        this.running = await startHttpsStandIn(tls, (request) => {
            const response = this.handle(request);
            this.requests.push({ method: request.method, path: request.path, status: response.status });
            return response;
        });
        return this.running;
    }

    async close(): Promise<void> {
        await this.running?.close();
    }

    private handle(request: StandInRequest): StandInResponse {
        const check = this.options.verifier.check(request.headers.authorization, `https://${request.host}`, (this.options.tokenClock ?? new RealClock()).now());
        if (!check.ok) return armError(401, 'InvalidAuthenticationToken', `The access token is invalid (${check.reason}).`);
        const prefix = `${this.options.namespaceId.toLowerCase()}/hybridconnections/`;
        if (!request.path.toLowerCase().startsWith(prefix)) return armError(404, 'ResourceNotFound', `The Resource '${request.path}' was not found (the stand-in manages ${this.options.namespaceId} only).`);
        if (request.query.get('api-version') !== RELAY_API_VERSION) {
            return armError(400, 'InvalidApiVersionParameter', `The api-version '${request.query.get('api-version') ?? ''}' is not one the stand-in models (${RELAY_API_VERSION}).`);
        }
        const [name = '', below, rule, action] = request.path.slice(prefix.length).split('/');
        const write = request.method !== 'GET';
        if (write && !this.options.authorizedPrincipals.includes(check.claims.oid)) {
            return armError(403, 'AuthorizationFailed', `The client '${check.claims.oid}' with object id '${check.claims.oid}' does not have authorization to perform action '${relayActionOf(request.method, request.path) ?? 'Microsoft.Relay/namespaces/HybridConnections/write'}' over scope '${this.options.namespaceId}'.`);
        }
        if (below === undefined) return this.hybridConnection(request, name);
        if (below.toLowerCase() === 'authorizationrules' && rule !== undefined) return this.rule(request, name, rule, action);
        return armError(404, 'ResourceNotFound', `No route ${request.method} ${request.path}.`);
    }

    private resourceId(name: string): string {
        return `${this.options.namespaceId}/hybridConnections/${name}`;
    }

    private hybridConnection(request: StandInRequest, name: string): StandInResponse {
        const exists = this.options.relay.hasHybridConnection(name);
        const resource = { id: this.resourceId(name), name, type: 'Microsoft.Relay/namespaces/hybridConnections', properties: { requiresClientAuthorization: true, listenerCount: this.options.relay.listenerCount(name) } };
        switch (request.method) {
            case 'GET':
                return exists ? { status: 200, body: resource } : armError(404, 'NotFound', `The hybrid connection ${name} does not exist.`);
            case 'PUT':
                if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(name)) return armError(400, 'BadRequest', `The hybrid connection name ${name} is not valid.`);
                if (!exists) {
                    this.listenRules.set(name.toLowerCase(), new Map());
                    this.serve(name);
                }
                return { status: 200, body: resource };
            case 'DELETE':
                if (!exists) return { status: 204 };
                this.listenRules.delete(name.toLowerCase());
                this.options.relay.removeHybridConnection(name);
                return { status: 200 };
            default:
                return armError(405, 'MethodNotAllowed', `${request.method} is not allowed on a hybrid connection.`);
        }
    }

    private rule(request: StandInRequest, name: string, ruleName: string, action: string | undefined): StandInResponse {
        const rules = this.listenRules.get(name.toLowerCase());
        if (rules === undefined) return armError(404, 'NotFound', `The hybrid connection ${name} does not exist.`);
        if (request.method === 'PUT' && action === undefined) {
            let rights: unknown;
            try {
                rights = (JSON.parse(request.body.toString('utf8')) as { properties?: { rights?: unknown } }).properties?.rights;
            } catch {
                rights = undefined;
            }
            if (!Array.isArray(rights) || rights.length === 0) return armError(400, 'BadRequest', 'properties.rights is required.');
            if (!rules.has(ruleName)) rules.set(ruleName, { name: ruleName, key: randomBytes(32).toString('base64') });
            this.serve(name);
            return { status: 200, body: { id: `${this.resourceId(name)}/authorizationRules/${ruleName}`, name: ruleName, properties: { rights } } };
        }
        if (request.method === 'POST' && action === 'listKeys') {
            const found = rules.get(ruleName);
            if (found === undefined) return armError(404, 'NotFound', `The authorization rule ${ruleName} does not exist.`);
            return { status: 200, body: { keyName: ruleName, primaryKey: found.key, secondaryKey: randomBytes(32).toString('base64') } };
        }
        return armError(405, 'MethodNotAllowed', `${request.method} is not allowed here.`);
    }

    /** The relay serves the hybrid connection with its Listen rule (the stand-in checks one Listen rule per connection) and the namespace Send rule. */
    private serve(name: string): void {
        const rules = [...(this.listenRules.get(name.toLowerCase())?.values() ?? [])];
        const listenRule = rules[0] ?? { name: 'none', key: randomBytes(32).toString('base64') };
        this.options.relay.addHybridConnection({ path: name, listenRule, sendRule: this.options.sendRule });
    }
}
