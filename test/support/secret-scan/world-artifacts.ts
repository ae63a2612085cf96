import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RestError, TableClient } from '@azure/data-tables';
import type { MemoryLogSink } from '../../../lib/logger';
import type { LocalStack } from '../../../local/stack/local-stack';
import type { HttpRecorder } from './http-recorder';
import type { Artifact, KnownSecret } from './scan-types';

/** What a test recorded while a world ran: the app's logs, the HTTP responses it received, the PFX passwords Exchange was given. */
export interface WorldRecordings {
    readonly logs: MemoryLogSink;
    readonly http: HttpRecorder;
    readonly pfxPasswords: readonly string[];
}

async function filesUnder(folder: string): Promise<Artifact[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    return Promise.all(files.map(async (file) => ({ source: `agent file ${file.slice(folder.length + 1)}`, text: await readFile(file, 'utf8') })));
}

async function registryRows(stack: LocalStack): Promise<Artifact[]> {
    const table = TableClient.fromConnectionString(stack.appSettings.PPO_REGISTRY_CONNECTION_STRING ?? '', stack.appSettings.PPO_REGISTRY_TABLE ?? '', { allowInsecureConnection: true });
    const rows: Artifact[] = [];
    try {
        for await (const entity of table.listEntities()) rows.push({ source: `registry row ${entity.rowKey ?? ''}`, text: JSON.stringify(entity) });
    } catch (error) {
        if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
    return rows;
}

function storeArtifacts(stack: LocalStack): Artifact[] {
    return [...stack.host.store.instances()].flatMap((record) => [
        { source: `instance ${record.instanceId} input`, text: record.input ?? '' },
        { source: `instance ${record.instanceId} output`, text: record.output ?? '' },
        { source: `instance ${record.instanceId} custom status`, text: record.customStatus ?? '' },
        ...record.history.map((event, index) => ({ source: `instance ${record.instanceId} history[${index}] ${event.EventType}`, text: JSON.stringify(event) })),
        ...record.inbox.map((event, index) => ({ source: `instance ${record.instanceId} inbox[${index}]`, text: JSON.stringify(event) })),
    ]);
}

/**
 * Everything a world's run produced: every orchestration's input, output, custom status and history
 * in the host store, the app's log records, the HTTP responses the test received, the agent's audit
 * log and stored results, the registry's rows, and what the product sent to Graph.
 */
export async function worldArtifacts(stack: LocalStack, recordings: WorldRecordings): Promise<Artifact[]> {
    return [
        ...storeArtifacts(stack),
        ...recordings.logs.records.map((record, index) => ({ source: `log[${index}]`, text: JSON.stringify(record) })),
        ...recordings.http.responses.map((response) => ({ source: `HTTP ${response.status} ${response.url}`, text: response.text })),
        ...(await filesUnder(stack.agentDataFolder)),
        ...(await registryRows(stack)),
        { source: 'Graph requests', text: JSON.stringify(stack.cloud.graph.requests) },
    ];
}

/** The secrets the world holds, each value once, to be searched for by value. */
export function worldSecrets(stack: LocalStack, recordings: WorldRecordings): KnownSecret[] {
    const secrets: KnownSecret[] = [
        { kind: 'sasKey', label: 'relay Listen key', value: stack.secrets.relayListenKey },
        { kind: 'sasKey', label: 'relay Send key', value: stack.secrets.relaySendKey },
        { kind: 'sharedSecret', label: 'agent shared secret', value: stack.secrets.agentSharedSecret },
        ...stack.cloud.keyVault.secretValues().map((secret) => ({ kind: secret.kind === 'pfx' ? ('pfx' as const) : ('sharedSecret' as const), label: `Key Vault secret ${secret.name}`, value: secret.value })),
        ...recordings.pfxPasswords.map((value, index) => ({ kind: 'pfxPassword' as const, label: `PFX password #${index + 1} given to Exchange`, value })),
    ];
    return secrets.filter((secret, index) => secrets.findIndex((other) => other.value === secret.value) === index);
}
