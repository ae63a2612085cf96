import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATION_READY_EVENT, type SimulationDetails } from '../../agent/simulate/connection-details';
import { AgentClient } from '../../lib/agent-client';
import { RelaySender } from '../../lib/relay/relay-sender';
import { loadScenarioFile } from '../../local/scenario/schema';
import { ProcessPool, REPO_ROOT, runToEnd } from './support/agent-process';
import { type BundleMetafile, FORBIDDEN_PACKAGE_PATTERN, FORBIDDEN_SOURCE_PREFIXES, packagesIn, requiredModules } from './support/bundle-inspection';

const BUILD_SCRIPT = join(REPO_ROOT, 'scripts', 'build-agent.mjs');
const SCENARIO = join(__dirname, 'fixtures', 'contoso-two-servers.json');
const FORBIDDEN_ENTRY = join(__dirname, 'fixtures', 'forbidden-entry.ts');
const UNLISTED_ENTRY = join(__dirname, 'fixtures', 'unlisted-entry.ts');

const processes = new ProcessPool();
const folders: string[] = [];
let outdir = '';
let bundle = '';

async function newFolder(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'ppo-agent-bundle-'));
    folders.push(folder);
    return folder;
}

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

beforeAll(async () => {
    outdir = await newFolder();
    const build = await runToEnd(processes, [BUILD_SCRIPT, '--outdir', outdir]);
    if (build.code !== 0) throw new Error(`build:agent failed:\n${build.output}`);
    bundle = join(outdir, 'agent.js');
});

afterEach(() => processes.killAll());

afterAll(async () => {
    await processes.killAll();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the agent bundle', () => {
    it('is one JavaScript file with every PowerShell script of the agent beside it', async () => {
        // Prepare
        const sourceScripts = (await readdir(join(REPO_ROOT, 'agent', 'scripts'))).filter((name) => name.endsWith('.ps1')).sort();

        // Act
        const entries = (await readdir(outdir)).sort();
        const scripts = (await readdir(join(outdir, 'scripts'))).sort();

        // Assess
        expect(entries).toEqual(['agent.js', 'agent.js.map', 'agent.meta.json', 'scripts']);
        expect(scripts).toEqual(sourceScripts);
        expect(scripts).toContain('host.ps1');
    });

    it('inlines its npm dependencies: at run time it requires only Node built-ins, never a module Node would look for in folders above it', async () => {
        // Act
        const required = requiredModules(await readFile(bundle, 'utf8'));

        // Assess: issue 15, finding 5 (bufferutil and utf-8-validate were resolved from any parent node_modules, C:\node_modules included)
        expect(required).toEqual([]);
    });

    it('carries only ws, zod and node-forge, and none of the Function App or the local harness', async () => {
        // Act
        const metafile = JSON.parse(await readFile(join(outdir, 'agent.meta.json'), 'utf8')) as BundleMetafile;
        const inputs = Object.keys(metafile.inputs);

        // Assess
        expect(packagesIn(metafile)).toEqual(['node-forge', 'ws', 'zod']);
        expect(packagesIn(metafile).filter((name) => FORBIDDEN_PACKAGE_PATTERN.test(name))).toEqual([]);
        expect(inputs.filter((input) => FORBIDDEN_SOURCE_PREFIXES.some((prefix) => input.startsWith(prefix)))).toEqual([]);
        expect(inputs).toContain('agent/cli.ts');
    });

    it.each([
        ['an entry point that imports durable-functions', FORBIDDEN_ENTRY, 'imports durable-functions, which the agent must not carry'],
        ['a package that is not on the agent\'s allowlist', UNLISTED_ENTRY, 'package fast-check is not on the agent\'s allowlist'],
    ])('is refused by build:agent for %s, and nothing is written', async (_label, entry, message) => {
        // Prepare
        const target = await newFolder();

        // Act
        const build = await runToEnd(processes, [BUILD_SCRIPT, '--outdir', target, '--entry', entry]);

        // Assess
        expect(build.code).toBe(1);
        expect(build.output).toContain(message);
        expect(await readdir(target)).toEqual([]);
    });
});

describe('the bundle at run time', () => {
    it('uses a scenario fixture that the scenario schema accepts', async () => {
        // Act
        const scenario = await loadScenarioFile(SCENARIO);

        // Assess
        expect(scenario.exchange.servers.map((server) => server.name)).toEqual(['EX1', 'EX2']);
    });

    it('check --simulate runs the relay and shell checks against the simulated organization and exits 0', async () => {
        // Act
        const result = await runToEnd(processes, [bundle, 'check', '--simulate', SCENARIO]);

        // Assess
        expect(result.code).toBe(0);
        expect(checkResults(result.output.split('\n'))).toEqual([
            ['relay', true],
            ['shell', true],
        ]);
    });

    it('--simulate answers a signed inventory request sent through its relay with the details it prints, and stops cleanly on SIGTERM', async () => {
        // Prepare
        const agent = processes.start([bundle, '--simulate', SCENARIO, '--json', '--show-secrets']);
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

    it('--simulate prints the namespace and hybrid connection but neither the Send key nor the shared secret without --show-secrets', async () => {
        // Prepare
        const agent = processes.start([bundle, '--simulate', SCENARIO]);

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

    it('run --config <missing file> fails with a message naming the file', async () => {
        // Prepare
        const missing = join(await newFolder(), 'no-such-agent-config.json');

        // Act
        const result = await runToEnd(processes, [bundle, 'run', '--config', missing]);

        // Assess
        expect(result.code).toBe(1);
        expect(result.output).toContain(missing);
    });
});
