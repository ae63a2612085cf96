import { randomBytes } from 'node:crypto';
import { PermanentError } from '../errors';
import type { RelayManagement } from '../relay/relay-management';

export const AGENT_LISTEN_RULE = 'agent-listen';

/** Where the agent's shared secret lives and how it is written and removed (Key Vault). */
export interface AgentSecretStore {
    set(name: string, value: string): Promise<void>;
    remove(name: string): Promise<void>;
}

/** What the agent's configuration file needs (agent/config.ts: relay and sharedSecret), handed out once. */
export interface EnrolledOrganization {
    readonly organization: string;
    readonly agentConfiguration: {
        readonly relay: { readonly namespace: string; readonly hybridConnection: string; readonly listenRuleName: string; readonly listenKey: string };
        readonly sharedSecret: string;
    };
}

/**
 * Enrolls an Exchange organization at run time: its hybrid connection and Listen rule on the relay
 * namespace, its agent's shared secret in Key Vault (the same name the sender reads), and the agent's
 * configuration, returned once (the Listen key stays with the relay, the secret with Key Vault).
 * Removal deletes the hybrid connection (and so its rule) and the secret: the agent is revoked.
 */
export class OrganizationEnrollment {
    constructor(
        private readonly relay: RelayManagement,
        private readonly secrets: AgentSecretStore,
        private readonly options: { readonly namespace: string; readonly secretPrefix: string },
    ) {}

    async enroll(name: string): Promise<EnrolledOrganization> {
        if (await this.relay.hybridConnectionExists(name)) {
            throw new PermanentError('organization_exists', `The organization ${name} is enrolled already: its hybrid connection exists.`, {
                remedy: `Remove it first (DELETE /api/organizations/${name}) to issue a new agent configuration; the current agent then stops working.`,
            });
        }
        await this.relay.putHybridConnection(name);
        await this.relay.putListenRule(name, AGENT_LISTEN_RULE);
        const listenKey = await this.relay.listKey(name, AGENT_LISTEN_RULE);
        // 64 hex digits, as the post-provision hook makes them (agent/config.ts requires 32 characters or more).
        const sharedSecret = randomBytes(32).toString('hex');
        await this.secrets.set(`${this.options.secretPrefix}${name}`, sharedSecret);
        return {
            organization: name,
            agentConfiguration: { relay: { namespace: this.options.namespace, hybridConnection: name, listenRuleName: AGENT_LISTEN_RULE, listenKey }, sharedSecret },
        };
    }

    async remove(name: string): Promise<'removed' | 'absent'> {
        const relay = await this.relay.deleteHybridConnection(name);
        await this.secrets.remove(`${this.options.secretPrefix}${name}`);
        return relay === 'deleted' ? 'removed' : 'absent';
    }
}
