import type { LocalStack } from '../../local/stack/local-stack';
import { callApi, waitForInstance } from './bench-world';

/** Onboards the world's tenant through the API and waits for the run to complete; its instance and virtual duration. */
export async function onboardOverHttp(world: LocalStack): Promise<{ instanceId: string; virtualMs: number }> {
    const started = await callApi(world, 'POST', `tenants/${world.scenario.tenant.domain}/onboard`, { agent: { hybridConnection: world.scenario.agent.hybridConnection } });
    const instanceId = (started.body as { instanceId?: unknown } | null)?.instanceId;
    if (started.status !== 202 || typeof instanceId !== 'string') throw new Error(`onboarding answered ${started.status}: ${JSON.stringify(started.body)}`);
    const record = await waitForInstance(world, instanceId);
    if (record.runtimeStatus !== 'Completed') throw new Error(`onboarding ended ${record.runtimeStatus}: ${record.output ?? ''}`);
    return { instanceId, virtualMs: record.lastUpdatedTime - record.createdTime };
}
