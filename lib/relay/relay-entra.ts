import type { TokenCredential } from '@azure/identity';
import { ConfigurationError, PushProxyError } from '../errors';
import { mapCredentialError } from '../identity/credential-errors';
import { parseRelayNamespace } from './relay-namespace';

/**
 * Microsoft Entra ID for Hybrid Connections senders. Relay authorizes requests to hybrid connections
 * with an OAuth 2.0 token for the resource https://relay.azure.net and the built-in roles Azure Relay
 * Sender / Listener (https://learn.microsoft.com/azure/azure-relay/authenticate-application; in Azure
 * operated by 21Vianet the resource is https://relay.chinacloudapi.cn:
 * https://docs.azure.cn/azure-relay/authenticate-managed-identity). An HTTP request carries the token as
 * is, the raw JWT, in its Authorization header: so does Microsoft's sample
 * (Azure/azure-relay, samples/hybrid-connections/dotnet/rolebasedaccesscontrol/Program.cs), whose
 * token is the SDK's JsonSecurityToken.TokenString, the raw access token
 * (Azure/azure-relay-dotnet, src/Microsoft.Azure.Relay/Common/JsonSecurityToken.cs).
 */
const RELAY_RESOURCES: readonly { readonly suffix: string; readonly resource: string }[] = [
    { suffix: '.servicebus.windows.net', resource: 'https://relay.azure.net' },
    { suffix: '.servicebus.chinacloudapi.cn', resource: 'https://relay.chinacloudapi.cn' },
];

/** The token scope for a namespace: its cloud's Relay resource with `/.default`. */
export function relayTokenScope(namespace: string): string {
    const host = parseRelayNamespace(namespace).hostname.toLowerCase();
    const match = RELAY_RESOURCES.find((r) => host.endsWith(r.suffix));
    if (match === undefined) {
        throw new ConfigurationError(`No documented Entra ID resource for the Relay namespace ${host}.`, {
            remedy: 'Use a namespace of the global or 21Vianet cloud, or send with a SAS rule (PPO_RELAY_AUTH=sas, PPO_RELAY_SEND_RULE, PPO_RELAY_SEND_KEY_SECRET).',
        });
    }
    return `${match.resource}/.default`;
}

/** Renew this long before the token expires, so that no request leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** One token for the Relay resource, asked of the credential again only when it nears its expiry. */
export class RelayTokenSource {
    private cached: { readonly token: string; readonly expiresOnTimestamp: number } | undefined;
    private pending: Promise<string> | undefined;

    constructor(
        private readonly credential: TokenCredential,
        private readonly scope: string,
        private readonly now: () => number = Date.now,
    ) {}

    token(): Promise<string> {
        if (this.cached !== undefined && this.cached.expiresOnTimestamp - REFRESH_MARGIN_MS > this.now()) return Promise.resolve(this.cached.token);
        this.pending ??= this.fetch().finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }

    private async fetch(): Promise<string> {
        let token;
        try {
            token = await this.credential.getToken(this.scope);
        } catch (error) {
            throw error instanceof PushProxyError ? error : mapCredentialError(error as Error & { statusCode?: number });
        }
        if (token === null) throw mapCredentialError(new Error(`the credential returned no token for ${this.scope}`));
        this.cached = { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
        return token.token;
    }
}
