import { join } from 'node:path';
import { VirtualClock } from '../../../local/clock';
import { FaultyExchangeShell } from '../../../local/exchange/faulty-shell';
import { loadScenarioFile, type Scenario } from '../../../local/scenario/schema';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../local/stack/local-stack';
import { WorldRecorder } from '../../support/secret-scan/world-recorder';
import { sharedResources } from './shared-resources';

/** The worlds the fault matrix runs in: scenario files by name. */
export const FAULT_SCENARIOS = {
    default: join(__dirname, '..', '..', '..', 'local', 'scenarios', 'default.json'),
    reuse: join(__dirname, '..', 'scenarios', 'reuse-oauth-certificate.json'),
    application: join(__dirname, '..', 'scenarios', 'hybrid-application.json'),
    configuredByHand: join(__dirname, '..', 'scenarios', 'configured-by-hand.json'),
} as const;

export type FaultScenarioName = keyof typeof FAULT_SCENARIOS;

const loaded = new Map<FaultScenarioName, Promise<Scenario>>();

export function faultScenario(name: FaultScenarioName): Promise<Scenario> {
    let scenario = loaded.get(name);
    if (scenario === undefined) {
        scenario = loadScenarioFile(FAULT_SCENARIOS[name]);
        loaded.set(name, scenario);
    }
    return scenario;
}

/** A world of the fault matrix with its fault hooks and everything recorded for the secret scan. */
export interface FaultWorld {
    readonly stack: LocalStack;
    readonly clock: VirtualClock;
    readonly shell: FaultyExchangeShell;
    readonly recorder: WorldRecorder;
}

/** Starts a world on the virtual clock with the file's shared resources, a fault-injecting shell and recorders. */
export async function startFaultWorld(scenario: Scenario, options: Partial<LocalStackOptions> = {}): Promise<FaultWorld> {
    const shared = await sharedResources();
    const recorder = new WorldRecorder();
    let faulty: FaultyExchangeShell | undefined;
    const clock = new VirtualClock();
    const stack = await startLocalStack({
        scenario,
        clock,
        port: 0,
        tls: shared.tls,
        issuerSigningKey: shared.issuerSigningKey,
        azurite: shared.azurite,
        agentDataRoot: shared.agentDataRoot,
        ...recorder.options((shell) => (faulty = new FaultyExchangeShell(shell))),
        ...options,
    });
    if (faulty === undefined) throw new Error('the stack did not take the fault-injecting shell');
    return { stack: recorder.attach(stack), clock, shell: faulty, recorder };
}
