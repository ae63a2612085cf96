import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArguments, runCli, UsageError } from '../../agent/cli';
import type { AgentListener, AgentListenerOptions } from '../../agent/listener';
import { DPAPI_CONFIG_FORMAT } from '../../agent/load-config';
import { AUDIT_LOG_FILE } from '../../agent/open-agent-handler';
import { PowerShellExchangeShell } from '../../agent/shell/powershell-exchange-shell';
import { runSimulatedAgent } from '../../local/agent/simulated-agent-cli';
import { MemoryLogSink } from '../../lib/logger';
import { deferred, ScriptedShell } from './support/scripted-shell';
import { replyJson, SHARED_SECRET, signedRequest } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';
import { baseScenarioJson } from './support/world';

const newFolder = useTempFolders();
const LISTEN_KEY = 'listen-key-that-is-secret-0123456789';

class FakeListener implements AgentListener {
    started = false;
    closed = false;
    constructor(
        readonly options: AgentListenerOptions,
        private readonly connect: () => Promise<void>,
    ) {}
    start(): void {
        this.started = true;
    }
    connected(): Promise<void> {
        return this.connect();
    }
    close(): Promise<void> {
        this.closed = true;
        return Promise.resolve();
    }
}

async function writeConfig(overrides: Record<string, unknown> = {}): Promise<{ path: string; dataFolder: string }> {
    const folder = await newFolder();
    const dataFolder = join(folder, 'data');
    const config = {
        relay: { namespace: 'contoso-ppo.servicebus.windows.net', hybridConnection: 'contoso', listenRuleName: 'agent-listen', listenKey: LISTEN_KEY },
        sharedSecret: SHARED_SECRET,
        dataFolder,
        ...overrides,
    };
    const path = join(folder, 'agent-config.json');
    await writeFile(path, JSON.stringify(config));
    return { path, dataFolder };
}

async function writeScenario(): Promise<string> {
    const path = join(await newFolder(), 'scenario.json');
    await writeFile(path, JSON.stringify(baseScenarioJson()));
    return path;
}

describe('agent CLI arguments', () => {
    it.each([
        [['run', '--config', 'a.json'], { command: 'run', configPath: 'a.json' }],
        [['check', '--config', 'a.json'], { command: 'check', configPath: 'a.json' }],
        [['--config', 'a.json'], { command: 'run', configPath: 'a.json' }],
        [['--help'], { command: 'help' }],
    ])('parses %j', (argv, expected) => {
        // Act
        const parsed = parseCliArguments(argv);

        // Assess
        expect(parsed).toEqual(expected);
    });

    it.each([[[]], [['serve', '--config', 'a']], [['run']], [['run', '--config']], [['run', '--config', 'a', '--verbose', 'x']], [['run', '--config', 'a.json', '--simulate', 's.json']], [['--simulate', 's.json']]])('refuses %j', (argv) => {
        // Act
        const parse = () => parseCliArguments(argv);

        // Assess
        expect(parse).toThrow(UsageError);
    });
});

describe('agent CLI configuration', () => {
    it('names every bad setting and shows no secret value', async () => {
        // Prepare
        const { path } = await writeConfig({ sharedSecret: 'short-secret', relay: { namespace: 'x.servicebus.windows.net', hybridConnection: 'contoso' }, shell: { mode: 'remote' } });
        const logs = new MemoryLogSink();

        // Act
        const code = await runCli(['check', '--config', path], { sink: logs.sink });

        // Assess
        expect(code).toBe(1);
        const text = JSON.stringify(logs.records);
        expect(text).toContain('relay.listenKey');
        expect(text).toContain('sharedSecret');
        expect(text).toContain('shell.connectionUri');
        expect(text).not.toContain('short-secret');
    });

    it('reads a DPAPI-protected configuration written by install-service.ps1', async () => {
        // Prepare
        const plain = await writeConfig();
        const protectedPath = join(await newFolder(), 'agent-config.dpapi.json');
        const document = { format: DPAPI_CONFIG_FORMAT, scope: 'LocalMachine', entropy: 'push-proxy-orchestrator agent configuration', protected: Buffer.from('opaque').toString('base64') };
        await writeFile(protectedPath, JSON.stringify(document));
        const plaintext = await readFile(plain.path, 'utf8');
        const listeners: FakeListener[] = [];
        const stop = deferred();

        // Act
        const running = runCli(['run', '--config', protectedPath], {
            shellFactory: () => new ScriptedShell(),
            unprotect: (doc) => Promise.resolve(doc.protected === document.protected ? plaintext : ''),
            listenerFactory: (options) => {
                const listener = new FakeListener(options, () => Promise.resolve());
                listeners.push(listener);
                return listener;
            },
            sink: new MemoryLogSink().sink,
            waitForStop: () => stop.promise,
        });
        await expect.poll(() => listeners.length).toBe(1);
        stop.resolve();

        // Assess
        expect(await running).toBe(0);
        expect(listeners[0]?.options.listenRule).toEqual({ name: 'agent-listen', key: LISTEN_KEY });
    });
});

describe('the simulated agent with a configuration (local/agent)', () => {
    it('listens with the signed request handler in front of the simulated organization, then stops cleanly', async () => {
        // Prepare
        const { path, dataFolder } = await writeConfig();
        const listeners: FakeListener[] = [];
        const stop = deferred();
        const logs = new MemoryLogSink();
        const running = runSimulatedAgent(['run', '--config', path, '--scenario', await writeScenario()], {
            listenerFactory: (options) => {
                const listener = new FakeListener(options, () => Promise.resolve());
                listeners.push(listener);
                return listener;
            },
            sink: logs.sink,
            waitForStop: () => stop.promise,
        });
        // The simulated organization makes its certificates first (RSA keys): seconds on a busy machine.
        await expect.poll(() => listeners[0]?.started, { timeout: 60_000 }).toBe(true);

        // Act
        const response = await listeners[0]!.options.handler(signedRequest({ nowMs: Date.now(), operation: 'inventory', operationId: 'cli-test/inventory' }));
        stop.resolve();
        const code = await running;

        // Assess
        expect(code).toBe(0);
        expect(response.status).toBe(200);
        expect(replyJson(response.body).result).toMatchObject({ organization: { name: 'Contoso' } });
        expect(listeners[0]?.closed).toBe(true);
        expect(await readFile(join(dataFolder, AUDIT_LOG_FILE), 'utf8')).toContain('cli-test/inventory');
        const logText = JSON.stringify(logs.records);
        expect(logText).not.toContain(SHARED_SECRET);
        expect(logText).not.toContain(LISTEN_KEY);
    });
});

describe('agent CLI check', () => {
    const standIn = resolve(__dirname, 'fixtures/fake-powershell-host.mjs');

    it.each([
        ['passes when the relay accepts and every cmdlet is there', () => Promise.resolve(), '', 0],
        ['fails when Exchange cmdlets are missing', () => Promise.resolve(), 'Set-AuthConfig', 1],
        ['fails when the relay refuses the listener', () => Promise.reject(new Error('401 bad Listen key')), '', 1],
    ])('%s', async (_label, connect, missing, expectedCode) => {
        // Prepare
        const { path } = await writeConfig();
        const logs = new MemoryLogSink();

        // Act
        const code = await runCli(['check', '--config', path], {
            listenerFactory: (options) => new FakeListener(options, connect),
            shellFactory: () => new PowerShellExchangeShell({ connection: { mode: 'snapIn' }, command: process.execPath, args: [standIn], env: { ...process.env, STAND_IN_MISSING: missing } }),
            sink: logs.sink,
        });

        // Assess
        expect(code).toBe(expectedCode);
        const checks = logs.records.filter((record) => record.check !== undefined).map((record) => [record.check, record.ok]);
        expect(checks).toEqual([
            ['relay', expectedCode === 0 || missing !== ''],
            ['shell', missing === ''],
        ]);
    });
});
