import type { CloudName } from '../contracts/clouds';
import { PermanentError, TransientError } from '../errors';
import type { AzureAccess } from '../identity/azure-access';
import { requestJson, type JsonAnswer } from '../identity/https-json';

/**
 * Azure Resource Manager per cloud ("Compare Azure Government and global Azure",
 * https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure;
 * "Azure China developer guide", https://learn.microsoft.com/azure/china/resources-developer-guide).
 */
export const RESOURCE_MANAGER_ENDPOINTS: Readonly<Record<CloudName, string>> = {
    global: 'https://management.azure.com',
    usGovHigh: 'https://management.usgovcloudapi.net',
    usGovDoD: 'https://management.usgovcloudapi.net',
    china: 'https://management.chinacloudapi.cn',
};

/** Microsoft.Relay control plane, https://learn.microsoft.com/rest/api/relay/controlplane-stable (Hybrid Connections, Create Or Update Authorization Rule, List Keys, Delete). */
export const RELAY_API_VERSION = '2024-01-01';


type ArmAnswer = JsonAnswer;

/**
 * Hybrid connections and their rules on the product's relay namespace, through Azure Resource Manager
 * with the product's managed identity. Each call needs one Microsoft.Relay action, and the custom role
 * infra grants on the namespace holds exactly those (infra/modules/roles/enrollment-role-definitions.bicep):
 * a new call here needs its action there too.
 */
export class RelayManagement {
    private readonly endpoint: string;

    constructor(
        private readonly access: Pick<AzureAccess, 'credential' | 'agent' | 'cloud'>,
        private readonly namespaceId: string,
    ) {
        this.endpoint = RESOURCE_MANAGER_ENDPOINTS[access.cloud.name];
    }

    async hybridConnectionExists(name: string): Promise<boolean> {
        const answer = await this.call('GET', `hybridConnections/${name}`);
        if (answer.status === 404) return false;
        this.expect(answer, 'read the hybrid connection', [200]);
        return true;
    }

    /** Create or update: PUT is idempotent, so a retried enrollment converges. */
    async putHybridConnection(name: string): Promise<void> {
        this.expect(await this.call('PUT', `hybridConnections/${name}`, { properties: { requiresClientAuthorization: true } }), 'create the hybrid connection', [200, 201]);
    }

    async putListenRule(name: string, rule: string): Promise<void> {
        this.expect(await this.call('PUT', `hybridConnections/${name}/authorizationRules/${rule}`, { properties: { rights: ['Listen'] } }), 'create the Listen rule', [200, 201]);
    }

    /** The rule's primary key: handed out once to the administrator, never stored by the product. */
    async listKey(name: string, rule: string): Promise<string> {
        const answer = await this.call('POST', `hybridConnections/${name}/authorizationRules/${rule}/listKeys`);
        this.expect(answer, 'read the Listen rule key', [200]);
        const key = (answer.body as { primaryKey?: unknown } | undefined)?.primaryKey;
        if (typeof key !== 'string') throw new PermanentError('relay_management_failed', 'Azure Resource Manager returned no key for the Listen rule.');
        return key;
    }

    /** Deleting the hybrid connection deletes its rules: every key handed out stops working. Absent is done. */
    async deleteHybridConnection(name: string): Promise<'deleted' | 'absent'> {
        const answer = await this.call('DELETE', `hybridConnections/${name}`);
        if (answer.status === 404 || answer.status === 204) return answer.status === 404 ? 'absent' : 'deleted';
        this.expect(answer, 'delete the hybrid connection', [200, 202]);
        return 'deleted';
    }

    private expect(answer: ArmAnswer, action: string, ok: readonly number[]): void {
        if (ok.includes(answer.status)) return;
        const detail = (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code;
        const what = `Azure Resource Manager refused to ${action} (HTTP ${answer.status}${typeof detail === 'string' ? ` ${detail}` : ''}).`;
        if (answer.status === 429 || answer.status >= 500) throw new TransientError('relay_management_unavailable', what);
        if (answer.status === 401 || answer.status === 403) {
            throw new PermanentError('relay_management_forbidden', what, {
                remedy: "Run azd provision with PPO_ENROLL_ORGANIZATIONS=true: it grants the Function App's managed identity the custom role \"Push proxy organization enrollment\" on the relay namespace (README, \"Service providers\"). A new grant takes a few minutes to apply.",
            });
        }
        throw new PermanentError('relay_management_failed', what);
    }

    private async call(method: string, below: string, body?: unknown): Promise<ArmAnswer> {
        const token = await this.access.credential.getToken(`${this.endpoint}/.default`);
        if (token === null) throw new PermanentError('credential-failed', 'No token for Azure Resource Manager.');
        const url = `${this.endpoint}${this.namespaceId}/${below}?api-version=${RELAY_API_VERSION}`;
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        try {
            return await requestJson(url, {
                method,
                headers: { authorization: `Bearer ${token.token}`, ...(payload === undefined ? { 'content-length': '0' } : { 'content-type': 'application/json' }) },
                ...(payload === undefined ? {} : { body: payload }),
                agent: this.access.agent,
                timeoutMs: 60_000,
            });
        } catch (error) {
            throw new TransientError('relay_management_unavailable', `Azure Resource Manager could not be reached: ${(error as Error).message}`);
        }
    }
}
