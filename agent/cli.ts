import { readFile } from 'node:fs/promises';
import { errorMessage, PushProxyError } from '../lib/errors';
import { Logger, type LogSink } from '../lib/logger';
import { loadScenarioFile } from '../local/scenario/schema';
import type { AgentConfig } from './config';
import { createPowerShellShell, createSimulatedShell } from './create-shell';
import type { ExchangeShell } from './exchange-shell';
import { type AgentListenerFactory, type AgentListenerOptions, createHybridConnectionListener } from './listener';
import { loadAgentConfig, type Unprotect, unprotectWithPowerShell } from './load-config';
import { openAgentRequestHandler } from './open-agent-handler';
import { describeProxy, NO_PROXY_POLICY, type ProxyPolicy, resolveProxyPolicy } from './relay/outbound-proxy';
import type { RelayedRequestHandler } from './relay/types';
import { formatSimulationDetails, type SimulationOutputOptions, simulationDetails } from './simulate/connection-details';
import { SIMULATED_HYBRID_CONNECTION, startStandaloneSimulation } from './simulate/standalone-simulation';

export const USAGE = [
    'usage: agent run --config <file> [--simulate <scenario.json>]',
    '       agent check --config <file> [--simulate <scenario.json>]',
    '       agent [run | check] --simulate <scenario.json> [--json] [--show-secrets]',
    '  run       listen on the hybrid connection and answer signed requests',
    '  check     relay reachable, shell starts, Exchange cmdlets present',
    '  --simulate      use the simulated Exchange organization of a scenario instead of PowerShell;',
    '                  without --config, also a relay stand-in on 127.0.0.1 and throwaway keys (no Azure)',
    '  --json          without --config: print the connection details as one JSON line',
    '  --show-secrets  without --config: include the Send key and the shared secret in them',
].join('\n');

/** The agent with a configuration file: the real relay, or a scenario's organization behind it with --simulate. */
export interface ConfiguredArguments {
    readonly command: 'run' | 'check';
    readonly configPath: string;
    readonly simulatePath: string | undefined;
}

/** `--simulate` without `--config`: the agent with its own loopback relay stand-in and throwaway keys. */
export interface StandaloneSimulationArguments {
    readonly command: 'run' | 'check';
    readonly configPath?: undefined;
    readonly simulatePath: string;
    readonly output: SimulationOutputOptions;
}

export type CliArguments = ConfiguredArguments | StandaloneSimulationArguments;

export interface CliDependencies {
    readonly listenerFactory: AgentListenerFactory;
    readonly shellFactory: (config: AgentConfig, logger: Logger) => ExchangeShell;
    readonly unprotect: Unprotect;
    /** Receives JSON log records and check results. */
    readonly sink: LogSink;
    /** Writes what the standalone simulation tells the administrator (never through the logger, which redacts). */
    readonly print: (text: string) => void;
    readonly waitForStop: () => Promise<void>;
    readonly relayCheckTimeoutMs: number;
    /** Where HTTPS_PROXY and NO_PROXY are read when the configuration names no proxy. */
    readonly env: NodeJS.ProcessEnv;
}

const stdoutSink: LogSink = (record) => {
    process.stdout.write(`${JSON.stringify(record)}\n`);
};

function waitForSignal(): Promise<void> {
    return new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
    });
}

const DEFAULTS: CliDependencies = {
    listenerFactory: createHybridConnectionListener,
    shellFactory: (config, logger) => createPowerShellShell(config.shell, logger),
    unprotect: unprotectWithPowerShell,
    sink: stdoutSink,
    print: (text) => process.stdout.write(text),
    waitForStop: waitForSignal,
    relayCheckTimeoutMs: 30_000,
    env: process.env,
};

export class UsageError extends Error {}

const VALUE_OPTIONS = new Set(['--config', '--simulate']);
const FLAG_OPTIONS = new Set(['--json', '--show-secrets']);

export function parseCliArguments(argv: readonly string[]): CliArguments {
    const rest = [...argv];
    const command = rest[0] === 'run' || rest[0] === 'check' ? rest.shift() : rest[0]?.startsWith('--') === true ? 'run' : undefined;
    if (command !== 'run' && command !== 'check') throw new UsageError(`unknown command ${rest[0] ?? '(none)'}`);
    const options = new Map<string, string>();
    const flags = new Set<string>();
    while (rest.length > 0) {
        const name = rest.shift()!;
        if (FLAG_OPTIONS.has(name)) {
            flags.add(name);
            continue;
        }
        const value = rest.shift();
        if (!VALUE_OPTIONS.has(name) || value === undefined || value.startsWith('--')) throw new UsageError(`bad option ${name}`);
        options.set(name, value);
    }
    const configPath = options.get('--config');
    const simulatePath = options.get('--simulate');
    if (configPath !== undefined) {
        if (flags.size > 0) throw new UsageError(`${[...flags].join(' and ')} only apply to --simulate without --config`);
        return { command, configPath, simulatePath };
    }
    if (simulatePath === undefined) throw new UsageError('--config <file> is required (relay settings and the shared secret), or --simulate <scenario.json> alone to try the agent without Azure');
    return { command, simulatePath, output: { json: flags.has('--json'), showSecrets: flags.has('--show-secrets') } };
}

/** What check and run need, from a configuration file or from a standalone simulation. */
interface AgentSetup {
    readonly relay: { readonly namespace: string; readonly hybridConnection: string; readonly listenRuleName: string; readonly listenKey: string };
    readonly ca: string | undefined;
    /** The outbound proxy for the relay connections (configuration, else HTTPS_PROXY/NO_PROXY). */
    readonly proxy: ProxyPolicy;
    readonly sharedSecret: string;
    readonly dataFolder: string;
    readonly logger: Logger;
    readonly openShell: () => Promise<ExchangeShell>;
    /** Called once the relay has accepted run's listener. */
    readonly onListening: () => void;
}

async function openConfiguredShell(args: ConfiguredArguments, config: AgentConfig, logger: Logger, deps: CliDependencies): Promise<ExchangeShell> {
    if (args.simulatePath === undefined) return deps.shellFactory(config, logger);
    logger.info('using the simulated Exchange organization', { scenario: args.simulatePath });
    return createSimulatedShell(await loadScenarioFile(args.simulatePath));
}

async function readCa(config: AgentConfig): Promise<string | undefined> {
    return config.relay.caFile === undefined ? undefined : readFile(config.relay.caFile, 'utf8');
}

function listenerOptions(setup: AgentSetup, handler: RelayedRequestHandler): AgentListenerOptions {
    return {
        namespace: setup.relay.namespace,
        hybridConnection: setup.relay.hybridConnection,
        listenRule: { name: setup.relay.listenRuleName, key: setup.relay.listenKey },
        handler,
        logger: setup.logger,
        proxy: setup.proxy,
        ...(setup.ca === undefined ? {} : { ca: setup.ca }),
    };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(setup: AgentSetup, deps: CliDependencies): Promise<number> {
    const { logger, relay } = setup;
    const proxy = describeProxy(setup.proxy);
    let healthy = true;
    const listener = deps.listenerFactory(listenerOptions(setup, () => Promise.resolve({ status: 503, headers: {}, body: Buffer.alloc(0) })));
    listener.start();
    try {
        await withTimeout(listener.connected(), deps.relayCheckTimeoutMs, `no connection within ${deps.relayCheckTimeoutMs} ms`);
        logger.info(`check relay: ok (proxy: ${proxy})`, { check: 'relay', ok: true, namespace: relay.namespace, hybridConnection: relay.hybridConnection, proxy });
    } catch (error) {
        healthy = false;
        const remedy = error instanceof PushProxyError ? error.remedy : undefined;
        logger.error(`check relay: failed (proxy: ${proxy})`, { check: 'relay', ok: false, proxy, error: errorMessage(error), ...(remedy === undefined ? {} : { remedy }) });
    } finally {
        await listener.close();
    }
    const shell = await setup.openShell();
    try {
        const readiness = await shell.checkReady();
        const ok = readiness.missingCmdlets.length === 0;
        healthy &&= ok;
        logger[ok ? 'info' : 'error'](`check shell: ${ok ? 'ok' : 'Exchange cmdlets missing'}`, { check: 'shell', ok, mode: readiness.mode, missingCmdlets: readiness.missingCmdlets });
    } catch (error) {
        healthy = false;
        logger.error('check shell: failed', { check: 'shell', ok: false, error: errorMessage(error) });
    } finally {
        await shell.close();
    }
    return healthy ? 0 : 1;
}

/** `stopRequested` is asked for before start-up, so a stop signal that arrives meanwhile still shuts down cleanly. */
async function run(setup: AgentSetup, deps: CliDependencies, stopRequested: Promise<void>): Promise<number> {
    const { logger, relay } = setup;
    const shell = await setup.openShell();
    try {
        const handler = await openAgentRequestHandler({ dataFolder: setup.dataFolder, sharedSecret: setup.sharedSecret, shell, logger });
        const listener = deps.listenerFactory(listenerOptions(setup, handler));
        let stopping = false;
        listener.start();
        listener.connected().then(
            () => {
                if (!stopping) setup.onListening();
            },
            (error: unknown) => {
                if (!stopping) logger.error('the relay refused the listener; it keeps retrying', { error: errorMessage(error) });
            },
        );
        logger.info('agent listening', { namespace: relay.namespace, hybridConnection: relay.hybridConnection, dataFolder: setup.dataFolder, proxy: describeProxy(setup.proxy) });
        await stopRequested;
        stopping = true;
        logger.info('agent stopping');
        await listener.close();
        await handler.whenIdle();
    } finally {
        await shell.close();
    }
    return 0;
}

async function runConfigured(args: ConfiguredArguments, deps: CliDependencies, stopRequested: Promise<void>): Promise<number> {
    const config = await loadAgentConfig(args.configPath, deps.unprotect);
    const logger = new Logger({ component: 'agent', hybridConnection: config.relay.hybridConnection }, deps.sink, config.logLevel);
    const setup: AgentSetup = {
        relay: config.relay,
        ca: await readCa(config),
        proxy: resolveProxyPolicy(config.relay.proxy, deps.env),
        sharedSecret: config.sharedSecret,
        dataFolder: config.dataFolder,
        logger,
        openShell: () => openConfiguredShell(args, config, logger, deps),
        onListening: () => undefined,
    };
    return args.command === 'check' ? check(setup, deps) : run(setup, deps, stopRequested);
}

async function runStandaloneSimulation(args: StandaloneSimulationArguments, deps: CliDependencies, stopRequested: Promise<void>): Promise<number> {
    const logger = new Logger({ component: 'agent', hybridConnection: SIMULATED_HYBRID_CONNECTION, simulation: true }, deps.sink);
    const simulation = await startStandaloneSimulation(args.simulatePath, logger);
    try {
        logger.info('standalone simulation: relay stand-in on loopback, throwaway keys, simulated Exchange organization', {
            scenario: simulation.scenario.name,
            namespace: simulation.relay.namespace,
        });
        const details = simulationDetails(simulation, args.output.showSecrets);
        const setup: AgentSetup = {
            relay: simulation.relay,
            ca: simulation.caPem,
            // The standalone simulation's relay stand-in is on loopback: no proxy between them.
            proxy: NO_PROXY_POLICY,
            sharedSecret: simulation.sharedSecret,
            dataFolder: simulation.dataFolder,
            logger,
            openShell: () => Promise.resolve(createSimulatedShell(simulation.scenario)),
            onListening: () => deps.print(args.output.json ? `${JSON.stringify(details)}\n` : formatSimulationDetails(details)),
        };
        return args.command === 'check' ? await check(setup, deps) : await run(setup, deps, stopRequested);
    } finally {
        await simulation.stop();
    }
}

/** Runs the agent CLI; resolves to the process exit code (0 ok, 1 failed check or error, 2 usage). */
export async function runCli(argv: readonly string[], overrides: Partial<CliDependencies> = {}): Promise<number> {
    const deps: CliDependencies = { ...DEFAULTS, ...overrides };
    const bootLogger = new Logger({ component: 'agent' }, deps.sink);
    let args: CliArguments;
    try {
        args = parseCliArguments(argv);
    } catch (error) {
        bootLogger.error(`${errorMessage(error)}\n${USAGE}`);
        return 2;
    }
    // Only run waits for a stop; check must stay interruptible.
    const stopRequested = args.command === 'run' ? deps.waitForStop() : new Promise<void>(() => undefined);
    try {
        return args.configPath === undefined ? await runStandaloneSimulation(args, deps, stopRequested) : await runConfigured(args, deps, stopRequested);
    } catch (error) {
        const remedy = error instanceof PushProxyError ? error.remedy : undefined;
        bootLogger.error(errorMessage(error), remedy === undefined ? {} : { remedy });
        return 1;
    }
}

if (typeof require !== 'undefined' && require.main === module) {
    void runCli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
