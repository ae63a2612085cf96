import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../lib/agent-client';
import { RelaySender } from '../../lib/relay/relay-sender';
import { SIMULATION_READY_EVENT, type SimulationDetails } from '../../local/agent/connection-details';
import { loadScenarioFile } from '../../local/scenario/schema';
import { ProcessPool, REPO_ROOT, runToEnd } from './support/agent-process';

const SCENARIO = join(__dirname, 'fixtures', 'contoso-two-servers.json');

const processes = new ProcessPool();
let folder = '';
let simulatedAgent = '';

function isReadyLine(line: string): boolean {
    return line.includes(`"event":"${SIMULATION_READY_EVENT}"`);
}

function checkResults(lines: readonly string[]): unknown[][] {
    return lines
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((record) => record.check !== undefined)
        .map((record) => [record.check, record.ok]);
}

/** The simulated agent (local/agent) as one file, as the shipped agent is built, so it runs as its own process. */
beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ppo-simulated-agent-'));
    simulatedAgent = join(folder, 'simulated-agent.js');
    await build({ absWorkingDir: REPO_ROOT, entryPoints: [join(REPO_ROOT, 'local', 'agent', 'simulated-agent-cli.ts')], outfile: simulatedAgent, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
});

afterEach(() => processes.killAll());

afterAll(async () => {
    await processes.killAll();
    await rm(folder, { recursive: true, force: true });
});

describe('the simulated agent (local/agent) at run time', () => {
    it('uses a scenario fixture that the scenario schema accepts', async () => {
        // Act
        const scenario = await loadScenarioFile(SCENARIO);

        // Assess
        expect(scenario.exchange.servers.map((server) => server.name)).toEqual(['EX1', 'EX2']);
    });

    it('check runs the relay and shell checks against the simulated organization and exits 0', async () => {
        // Act
        const result = await runToEnd(processes, [simulatedAgent, 'check', '--scenario', SCENARIO]);

        // Assess
        expect(result.code).toBe(0);
        expect(checkResults(result.output.split('\n'))).toEqual([
            ['relay', true],
            ['shell', true],
        ]);
    });

    it('answers a signed inventory request sent through its relay with the details it prints, and stops cleanly on SIGTERM', async () => {
        // Prepare
        const agent = processes.start([simulatedAgent, '--scenario', SCENARIO, '--json', '--show-secrets']);
        const details = JSON.parse(await agent.waitForLine(isReadyLine)) as SimulationDetails;
        const secrets = details.secrets!;
        const sender = new RelaySender({ namespace: details.namespace, sendRule: { name: details.sendRuleName, key: secrets.sendKey }, ca: await readFile(details.caFile, 'utf8') });
        const client = new AgentClient({ transport: sender, sharedSecretFor: () => secrets.sharedSecret });

        // Act
        const inventory = await client.call('inventory', {}, { operationId: 'agent-bundle/inventory', hybridConnection: details.hybridConnection });
        agent.signal('SIGTERM');
        const exit = await agent.exited;

        // Assess
        expect(details.namespace).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(inventory.organization.name).toBe('Contoso');
        expect(inventory.servers.map((server) => server.name)).toEqual(['EX1', 'EX2']);
        expect(exit).toEqual({ code: 0, signal: null });
        expect(existsSync(details.dataFolder)).toBe(false);
        expect(agent.stdout.filter((line) => line.includes(secrets.sharedSecret))).toHaveLength(1);
    });

    it('prints the namespace and hybrid connection but neither the Send key nor the shared secret without --show-secrets', async () => {
        // Prepare
        const agent = processes.start([simulatedAgent, '--scenario', SCENARIO]);

        // Act
        await agent.waitForLine((line) => line.includes('Stop with Ctrl+C'));
        agent.signal('SIGINT');
        const exit = await agent.exited;

        // Assess
        const output = agent.output;
        expect(exit.code).toBe(0);
        expect(output).toMatch(/relay namespace +127\.0\.0\.1:\d+/);
        expect(output).toMatch(/hybrid connection +simulated-agent/);
        expect(output).toMatch(/shared secret +\(hidden: add --show-secrets\)/);
        expect(output).toMatch(/send rule +orchestrator-send, key \(hidden: add --show-secrets\)/);
        expect(output).not.toMatch(/\b[0-9a-f]{64}\b/);
    });
});
