import { readFile } from 'node:fs/promises';
import { errorMessage, PushProxyError } from '../lib/errors';
import { Logger, type LogSink } from '../lib/logger';
import type { AgentConfig } from './config';
import { createPowerShellShell } from './create-shell';
import type { ExchangeShell } from './exchange-shell';
import { type AgentListenerFactory, type AgentListenerOptions, createHybridConnectionListener } from './listener';
import { loadAgentConfig, type Unprotect, unprotectWithPowerShell } from './load-config';
import { openAgentRequestHandler } from './open-agent-handler';
import { describeProxy, type ProxyPolicy, resolveProxyPolicy } from './relay/outbound-proxy';
import type { RelayedRequestHandler } from './relay/types';

export const USAGE = [
    'usage: agent run --config <file>',
    '       agent check --config <file>',
    '  run       listen on the hybrid connection and answer signed requests',
    '  check     relay reachable, shell starts, Exchange cmdlets present',
].join('\n');

export type CliArguments = { readonly command: 'help' } | ConfiguredArguments;

export interface ConfiguredArguments {
    readonly command: 'run' | 'check';
    readonly configPath: string;
}

export interface CliDependencies {
    readonly listenerFactory: AgentListenerFactory;
    readonly shellFactory: (config: AgentConfig, logger: Logger) => ExchangeShell;
    readonly unprotect: Unprotect;
    /** Receives JSON log records and check results. */
    readonly sink: LogSink;
    /** Writes the usage for --help (never through the logger). */
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

export const DEFAULT_CLI_DEPENDENCIES: CliDependencies = {
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

export function parseCliArguments(argv: readonly string[]): CliArguments {
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === 'help')) return { command: 'help' };
    const rest = [...argv];
    const command = rest[0] === 'run' || rest[0] === 'check' ? rest.shift() : rest[0]?.startsWith('--') === true ? 'run' : undefined;
    if (command !== 'run' && command !== 'check') throw new UsageError(`unknown command ${rest[0] ?? '(none)'}`);
    let configPath: string | undefined;
    while (rest.length > 0) {
        const name = rest.shift()!;
        const value = rest.shift();
        if (name !== '--config' || value === undefined || value.startsWith('--')) throw new UsageError(`bad option ${name}`);
        configPath = value;
    }
    if (configPath === undefined) throw new UsageError('--config <file> is required (relay settings and the shared secret)');
    return { command, configPath };
}

/** What check and run need: from a configuration file here, or from local/agent's simulation. */
export interface AgentSetup {
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

export async function check(setup: AgentSetup, deps: CliDependencies): Promise<number> {
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
export async function run(setup: AgentSetup, deps: CliDependencies, stopRequested: Promise<void>): Promise<number> {
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
        openShell: () => Promise.resolve(deps.shellFactory(config, logger)),
        onListening: () => undefined,
    };
    return args.command === 'check' ? check(setup, deps) : run(setup, deps, stopRequested);
}

/** Only run waits for a stop; check must stay interruptible. */
export function stopSignalFor(command: 'run' | 'check', deps: CliDependencies): Promise<void> {
    return command === 'run' ? deps.waitForStop() : new Promise<void>(() => undefined);
}

/** Runs the agent CLI; resolves to the process exit code (0 ok, 1 failed check or error, 2 usage). */
export async function runCli(argv: readonly string[], overrides: Partial<CliDependencies> = {}): Promise<number> {
    const deps: CliDependencies = { ...DEFAULT_CLI_DEPENDENCIES, ...overrides };
    const bootLogger = new Logger({ component: 'agent' }, deps.sink);
    let args: CliArguments;
    try {
        args = parseCliArguments(argv);
    } catch (error) {
        bootLogger.error(`${errorMessage(error)}\n${USAGE}`);
        return 2;
    }
    if (args.command === 'help') {
        deps.print(`${USAGE}\n`);
        return 0;
    }
    const stopRequested = stopSignalFor(args.command, deps);
    try {
        return await runConfigured(args, deps, stopRequested);
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
