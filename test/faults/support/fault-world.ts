import { join } from 'node:path';
import { MemoryLogSink } from '../../../lib/logger';
import { VirtualClock } from '../../../local/clock';
import { FaultyExchangeShell } from '../../../local/exchange/faulty-shell';
import { loadScenarioFile, type Scenario } from '../../../local/scenario/schema';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../local/stack/local-stack';
import { recordHttpResponses } from '../../support/secret-scan/http-recorder';
import { PasswordWitnessShell } from '../../support/secret-scan/password-witness';
import { scanForSecrets, describeFindings } from '../../support/secret-scan/secret-scan';
import { worldArtifacts, worldSecrets, type WorldRecordings } from '../../support/secret-scan/world-artifacts';
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
    readonly recordings: WorldRecordings;
}

/** Starts a world on the virtual clock with the file's shared resources, a fault-injecting shell and recorders. */
export async function startFaultWorld(scenario: Scenario, options: Partial<LocalStackOptions> = {}): Promise<FaultWorld> {
    const shared = await sharedResources();
    const logs = new MemoryLogSink();
    const started: { stack?: LocalStack } = {};
    const http = recordHttpResponses(() => started.stack?.baseUrl);
    const witness: { shell?: PasswordWitnessShell } = {};
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
        logSink: logs.sink,
        wrapShell: (shell) => {
            witness.shell = new PasswordWitnessShell(shell);
            faulty = new FaultyExchangeShell(witness.shell);
            return faulty;
        },
        ...options,
    });
    if (faulty === undefined) throw new Error('the stack did not take the fault-injecting shell');
    const recordings: WorldRecordings = {
        logs,
        http,
        get pfxPasswords() {
            return witness.shell?.passwords ?? [];
        },
    };
    started.stack = stack;
    return { stack, clock, shell: faulty, recordings };
}

/** Secrets found in everything the world produced, one line each (empty when clean). */
export async function secretLeaks(world: FaultWorld): Promise<string[]> {
    const findings = scanForSecrets(await worldArtifacts(world.stack, world.recordings), worldSecrets(world.stack, world.recordings));
    return findings.length === 0 ? [] : describeFindings(findings).split('\n').map((line) => `secret found: ${line}`);
}
