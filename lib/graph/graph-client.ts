import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { AzureAccess } from '../identity/azure-access';
import { GraphHttpsTransport } from './graph-https-transport';

/**
 * A Graph client for the configured cloud: tokens for that cloud's Graph scope from the product's
 * credential (or a customer directory's, see DirectoryCredentials), requests to that cloud's Graph endpoint (or PPO_GRAPH_ENDPOINT). No SDK retry handler: the product's own retry
 * honours Retry-After and hands long waits to the durable retry policy.
 */
export function createGraphClient(access: AzureAccess, credential: TokenCredential = access.credential): Client {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [access.cloud.graphScope] });
    return Client.initWithMiddleware({
        baseUrl: `${access.graphEndpoint}/`,
        defaultVersion: 'v1.0',
        // The SDK attaches tokens only for Graph's own hosts; an overridden endpoint must be named.
        customHosts: new Set([new URL(access.graphEndpoint).hostname]),
        middleware: [new AuthenticationHandler(authProvider), new TelemetryHandler(), new GraphHttpsTransport(access.agent)],
    });
}
