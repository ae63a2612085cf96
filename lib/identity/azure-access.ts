import type https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import { cloudEndpoints, type CloudEndpoints } from '../clouds';
import { createTokenCredential } from './credential-factory';
import { createOutboundAgent } from './outbound-agent';
import type { AzureAccessSettings, DirectorySettings } from './settings';

/** Everything a client of Key Vault or Graph needs: which cloud, which credential, which transport. */
export interface AzureAccess {
    readonly cloud: CloudEndpoints;
    /** The Graph root to call: the cloud's, or PPO_GRAPH_ENDPOINT's. */
    readonly graphEndpoint: string;
    /** The product's own identity: the managed identity in production. */
    readonly credential: TokenCredential;
    /** Single directory, or the customers' directories through the provider's multi-tenant application. */
    readonly directories: DirectorySettings;
    /** Undefined in production (Node's defaults); set for sandboxes by configuration. */
    readonly agent: https.Agent | undefined;
}

export function createAzureAccess(settings: AzureAccessSettings): AzureAccess {
    const cloud = cloudEndpoints(settings.cloud);
    const agent = createOutboundAgent(settings.outbound);
    return { cloud, graphEndpoint: settings.graphEndpoint ?? cloud.graphEndpoint, agent, credential: createTokenCredential(settings.credential, cloud, agent), directories: settings.directories ?? { mode: 'single' } };
}
