import type { RelayedResponse } from '../../agent/relay/types';
import type { Settings } from '../config';
import type { AzureAccess } from '../identity/azure-access';
import { RelaySender } from '../relay/relay-sender';
import type { AgentTransport, AgentTransportRequest } from '../relay/transport';
import type { VaultSecrets } from './vault-secrets';

/**
 * The relay sender as the settings say: with the app's identity (PPO_RELAY_AUTH=entra, one sender
 * for good), or with the Send key read from Key Vault (sas; rebuilt when the key read changes).
 */
export class VaultRelayTransport implements AgentTransport {
    private sender: { key: string | undefined; sender: RelaySender } | undefined;

    constructor(
        private readonly settings: Settings,
        private readonly secrets: VaultSecrets,
        private readonly access: () => Promise<AzureAccess>,
    ) {}

    async send(hybridConnection: string, request: AgentTransportRequest): Promise<RelayedResponse> {
        const ca = this.settings.azure.outbound.trustedCaPem;
        const common = { namespace: this.settings.PPO_RELAY_NAMESPACE, ...(ca === undefined ? {} : { ca }) };
        if (this.settings.PPO_RELAY_AUTH === 'entra') {
            this.sender ??= { key: undefined, sender: new RelaySender({ ...common, entra: { credential: (await this.access()).credential } }) };
            return this.sender.sender.send(hybridConnection, request);
        }
        const ruleName = this.settings.PPO_RELAY_SEND_RULE ?? '';
        const key = await this.secrets.get(this.settings.PPO_RELAY_SEND_KEY_SECRET ?? '', `the key of the relay rule ${ruleName}`);
        if (this.sender?.key !== key) {
            // Requests still running on the old sender finish first; then its connections close.
            this.sender?.sender.close();
            this.sender = { key, sender: new RelaySender({ ...common, sendRule: { name: ruleName, key } }) };
        }
        return this.sender.sender.send(hybridConnection, request);
    }
}
