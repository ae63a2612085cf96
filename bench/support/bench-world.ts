// The local host must be loaded before anything imports @azure/functions (it supplies functions-core).
import { isTerminal, type InstanceRecord } from '../../local/host';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { silentSink } from '../../lib/logger';
import { VirtualClock } from '../../local/clock';
import { createLocalCloudTls, type LocalCloudTls } from '../../local/identity/local-cloud';
import { loadScenarioFile, type Scenario } from '../../local/scenario/schema';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack/local-stack';
import { repoRoot } from './repo-root';

let sharedTls: LocalCloudTls | undefined;

export function defaultScenario(): Promise<Scenario> {
    return loadScenarioFile(join(repoRoot(), 'local', 'scenarios', 'default.json'));
}

/** A local world on a virtual clock and a free port, logging nowhere, sharing TLS material across worlds. */
export function startBenchWorld(scenario: Scenario, options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
    sharedTls ??= createLocalCloudTls();
    return startLocalStack({ scenario, clock: new VirtualClock(), port: 0, tls: sharedTls, logSink: silentSink, ...options });
}

/** Calls one of the app's routes under /api signed in as the local administrator (App Service authentication); the parsed JSON answer. */
export async function callApi(stack: LocalStack, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${stack.baseUrl}/api/${path}`, {
        method,
        headers: { authorization: `Bearer ${stack.api.tokenFor('administrator')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** Waits, host idle by host idle, until the instance has ended; its final record. */
export async function waitForInstance(stack: LocalStack, instanceId: string, limitMs = 120_000): Promise<InstanceRecord> {
    const deadline = Date.now() + limitMs;
    for (;;) {
        await stack.host.whenIdle();
        const record = stack.host.store.get(instanceId);
        if (record !== undefined && isTerminal(record.runtimeStatus)) return record;
        if (Date.now() > deadline) throw new Error(`${instanceId} did not end within ${limitMs} ms (status ${record?.runtimeStatus ?? 'unknown'})`);
        await sleep(10);
    }
}
