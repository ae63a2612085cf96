import { fileURLToPath } from 'node:url';
import { MemoryLogSink } from '../../../lib/logger';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../../local/host';

export const FIXTURE_ENTRY = fileURLToPath(new URL('../../fixtures/app/index.ts', import.meta.url));

export interface FixtureHost {
    readonly host: LocalHost;
    readonly logs: MemoryLogSink;
}

/** The fixture app on a free port, logging into memory. */
export async function startFixtureHost(options: Partial<LocalHostOptions> = {}): Promise<FixtureHost> {
    const logs = new MemoryLogSink();
    const host = await startLocalHost({
        entry: FIXTURE_ENTRY,
        port: 0,
        functionKey: 'test-function-key',
        logSink: logs.sink,
        env: { NIGHTLY_SCHEDULE: '0 0 2 * * *' },
        ...options,
    });
    return { host, logs };
}

export async function postJson(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Starts an orchestration through the fixture's HTTP starter (DurableClient.startNew + createCheckStatusResponse). */
export async function startOrchestration(host: LocalHost, name: string, input?: unknown, instanceId?: string): Promise<string> {
    const response = await postJson(`${host.baseUrl}/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, input);
    if (response.status !== 202) throw new Error(`Starting ${name} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { id: string };
    return body.id;
}
