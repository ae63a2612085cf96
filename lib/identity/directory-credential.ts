import { ClientAssertionCredential, type TokenCredential } from '@azure/identity';
import { PermanentError } from '../errors';
import type { AzureAccess } from './azure-access';
import { tokenExchangeScope } from './token-exchange';

/**
 * The credential for Graph in one customer's directory.
 *
 * Single directory: the product's own credential (the tenant id, if any, is the deployment's).
 * Multi-tenant: the provider's multi-tenant application, authenticated in that customer's directory
 * with a client assertion that is the managed identity's token for the token-exchange audience
 * ("Configure an application to trust a managed identity": the app's federated identity credential
 * names the managed identity's issuer and object id as subject). Entra ID issues the token only
 * where the customer's administrator consented (the application's service principal exists there).
 */
export class DirectoryCredentials {
    private readonly byTenant = new Map<string, TokenCredential>();

    constructor(private readonly access: Pick<AzureAccess, 'credential' | 'cloud' | 'agent' | 'directories'>) {}

    get multiTenant(): boolean {
        return this.access.directories.mode === 'multiTenant';
    }

    /** The multi-tenant application's client id, or undefined in single-directory mode. */
    get providerAppId(): string | undefined {
        return this.access.directories.mode === 'multiTenant' ? this.access.directories.appClientId : undefined;
    }

    for(tenantId: string | undefined): TokenCredential {
        const directories = this.access.directories;
        if (directories.mode === 'single') return this.access.credential;
        if (tenantId === undefined) {
            throw new PermanentError('tenant_id_required', 'This deployment serves many directories and the run names none.', {
                remedy: 'Give tenantId in the request, or let the product discover it from the tenant domain (GET /api/tenants/{tenantDomain}/consent).',
            });
        }
        const key = tenantId.toLowerCase();
        let credential = this.byTenant.get(key);
        if (credential === undefined) {
            const managedIdentity = this.access.credential;
            const scope = tokenExchangeScope(this.access.cloud.name);
            credential = new ClientAssertionCredential(
                key,
                directories.appClientId,
                async () => {
                    const token = await managedIdentity.getToken(scope);
                    if (token === null) throw new PermanentError('credential-failed', 'The managed identity gave no token for the token-exchange audience.');
                    return token.token;
                },
                {
                    authorityHost: this.access.cloud.loginAuthority,
                    ...(this.access.agent === undefined ? {} : { agent: this.access.agent }),
                },
            );
            this.byTenant.set(key, credential);
        }
        return credential;
    }
}
