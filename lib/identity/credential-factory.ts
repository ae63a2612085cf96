import type https from 'node:https';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { CloudEndpoints } from '../clouds';
import { IssuerTokenCredential } from './issuer-token-credential';
import type { CredentialSettings } from './settings';

/**
 * The credential named by configuration. The outbound agent is used where tokens come over HTTPS
 * from a configured endpoint (localIssuer); managed identity talks to its platform endpoint as Azure
 * prescribes and takes no agent.
 */
export function createTokenCredential(settings: CredentialSettings, cloud: CloudEndpoints, agent: https.Agent | undefined): TokenCredential {
    switch (settings.kind) {
        case 'managedIdentity':
            return new ManagedIdentityCredential({ clientId: settings.clientId });
        case 'default':
            return new DefaultAzureCredential({
                authorityHost: cloud.loginAuthority,
                ...(settings.managedIdentityClientId === undefined ? {} : { managedIdentityClientId: settings.managedIdentityClientId }),
            });
        case 'localIssuer':
            return new IssuerTokenCredential(settings.tokenUrl, settings.clientId, agent);
    }
}
