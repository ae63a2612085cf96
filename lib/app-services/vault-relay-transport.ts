import type { RelayedResponse } from '../../agent/relay/types';
import type { Settings } from '../config';
import { RelaySender } from '../relay/relay-sender';
import type { AgentTransport, AgentTransportRequest } from '../relay/transport';
import type { VaultSecrets } from './vault-secrets';

/** The relay sender, built with the Send key read from Key Vault (and rebuilt when the key is read again). */
export class VaultRelayTransport implements AgentTransport {
    private sender: { key: string; sender: RelaySender } | undefined;

    constructor(
        private readonly settings: Settings,
        private readonly secrets: VaultSecrets,
    ) {}

    async send(hybridConnection: string, request: AgentTransportRequest): Promise<RelayedResponse> {
        const key = await this.secrets.get(this.settings.PPO_RELAY_SEND_KEY_SECRET, `the key of the relay rule ${this.settings.PPO_RELAY_SEND_RULE}`);
        if (this.sender?.key !== key) {
            // Requests still running on the old sender finish first; then its connections close.
            this.sender?.sender.close();
            const ca = this.settings.azure.outbound.trustedCaPem;
            this.sender = {
                key,
                sender: new RelaySender({ namespace: this.settings.PPO_RELAY_NAMESPACE, sendRule: { name: this.settings.PPO_RELAY_SEND_RULE, key }, ...(ca === undefined ? {} : { ca }) }),
            };
        }
        return this.sender.sender.send(hybridConnection, request);
    }
}
