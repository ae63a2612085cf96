import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRole } from '../../lib/auth/app-roles';
import type { LocalTokenIssuer, IssuerClient } from './token-issuer';

/** The local test users' roles: one user per role, and one with none (every route refuses them). */
export const LOCAL_CALLER_ROLES = {
    reader: ['PushProxy.Reader'],
    operator: ['PushProxy.Operator'],
    administrator: ['PushProxy.Administrator'],
    nobody: [],
} as const satisfies Record<string, readonly AppRole[]>;

export type LocalCallerName = keyof typeof LOCAL_CALLER_ROLES;

export interface LocalApiUser {
    readonly who: LocalCallerName;
    readonly client: IssuerClient;
    readonly upn: string;
    readonly displayName: string;
    readonly roles: readonly AppRole[];
}

/** The API's app registration in the local tenant and who may call it. */
export interface LocalApiIdentities {
    readonly tenantId: string;
    /** The API app registration's client id (authsettingsV2 clientId). */
    readonly apiClientId: string;
    /** Its application ID URI, `api://<client id>`: the audience of ppo's tokens (scope `<uri>/.default`). */
    readonly appIdUri: string;
    /** Tokens accepted by the API (authsettingsV2 allowedAudiences): the URI (v1 tokens) and the client id (v2 tokens). */
    readonly allowedAudiences: readonly string[];
    /** The tenant's v1 issuer, as access tokens for the API carry it. */
    readonly issuer: string;
    readonly users: readonly LocalApiUser[];
    /** A service principal (client credentials) holding PushProxy.Administrator: tools and tests. */
    readonly automation: IssuerClient;
    /** Its client secret (a local, throwaway value). */
    readonly automationSecret: string;
    /** A fresh token of that user, or of the automation principal, for the API. */
    tokenFor(who: LocalCallerName | 'automation'): string;
}

/**
 * Registers the API's app registration and its callers in the local issuer: reader@, operator@,
 * admin@ and nobody@ of the tenant's domain, each assigned the app role of its name (Entra admin
 * center, Enterprise applications, the API, Users and groups), and a service principal assigned
 * PushProxy.Administrator as an application permission (client credentials).
 */
export function registerLocalApiIdentities(issuer: LocalTokenIssuer, tenantId: string, domain: string): LocalApiIdentities {
    const apiClientId = randomUUID();
    const appIdUri = `api://${apiClientId}`;
    const audiences = [appIdUri, apiClientId];
    const users = (Object.entries(LOCAL_CALLER_ROLES) as [LocalCallerName, readonly AppRole[]][]).map(([who, roles]): LocalApiUser => {
        const upn = `${who === 'administrator' ? 'admin' : who}@${domain}`;
        const displayName = `Local ${who}`;
        return { who, upn, displayName, roles, client: issuer.registerApiCaller(tenantId, { audiences, roles, displayName, upn }) };
    });
    const automationSecret = randomBytes(24).toString('base64url');
    const automation = issuer.registerApiCaller(tenantId, { audiences, roles: ['PushProxy.Administrator'], displayName: 'ppo local automation', secret: automationSecret });
    return {
        tenantId,
        apiClientId,
        appIdUri,
        allowedAudiences: audiences,
        issuer: `https://sts.windows.net/${tenantId}/`,
        users,
        automation,
        automationSecret,
        tokenFor: (who) => {
            const client = who === 'automation' ? automation : users.find((user) => user.who === who)?.client;
            if (client === undefined) throw new Error(`no local API caller ${who}`);
            return issuer.mint(client, appIdUri);
        },
    };
}

export type LocalBearerCheck = { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly reason: string };

/**
 * Validates a bearer token for the API as App Service's Microsoft Entra provider does
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad: issuer URL of
 * the tenant, allowed token audiences; signature by the tenant's published keys; expiry).
 */
export function validateApiBearer(issuer: LocalTokenIssuer, identities: LocalApiIdentities): (authorization: string) => LocalBearerCheck {
    const verifier = issuer.verifier();
    return (authorization) => {
        let last: LocalBearerCheck = { ok: false, reason: 'is not for this API' };
        for (const audience of identities.allowedAudiences) {
            const checked = verifier.check(authorization, audience, issuer.tokenClock.now());
            if (checked.ok) {
                if (checked.claims.iss !== identities.issuer) return { ok: false, reason: `was issued by ${checked.claims.iss}, not the tenant's issuer ${identities.issuer}` };
                return { ok: true, claims: checked.claims as unknown as Readonly<Record<string, unknown>> };
            }
            if (checked.reason !== 'audience') return { ok: false, reason: checked.reason === 'signature' ? 'has a signature the tenant did not make' : `is ${checked.reason}` };
            last = { ok: false, reason: 'has another audience than the API' };
        }
        return last;
    };
}
