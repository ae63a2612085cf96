import { readFile } from 'node:fs/promises';
import { errorMessage, PushProxyError } from '../lib/errors';
import { Logger, type LogSink } from '../lib/logger';
import { loadScenarioFile } from '../local/scenario/schema';
import type { AgentConfig } from './config';
import { createPowerShellShell, createSimulatedShell } from './create-shell';
import type { ExchangeShell } from './exchange-shell';
import { type AgentListenerFactory, createHybridConnectionListener } from './listener';
import { loadAgentConfig, type Unprotect, unprotectWithPowerShell } from './load-config';
import { openAgentRequestHandler } from './open-agent-handler';

export const USAGE = [
    'usage: agent run --config <file> [--simulate <scenario.json>]',
    '       agent check --config <file> [--simulate <scenario.json>]',
    '  run       listen on the hybrid connection and answer signed requests',
    '  check     relay reachable, shell starts, Exchange cmdlets present',
    '  --simulate  use the simulated Exchange organization of a scenario instead of PowerShell',
].join('\n');

export interface CliArguments {
    readonly command: 'run' | 'check';
    readonly configPath: string;
    readonly simulatePath: string | undefined;
}

export interface CliDependencies {
    readonly listenerFactory: AgentListenerFactory;
    readonly shellFactory: (config: AgentConfig, logger: Logger) => ExchangeShell;
    readonly unprotect: Unprotect;
    /** Receives JSON log records and check results. */
    readonly sink: LogSink;
    readonly waitForStop: () => Promise<void>;
    readonly relayCheckTimeoutMs: number;
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
    waitForStop: waitForSignal,
    relayCheckTimeoutMs: 30_000,
};

export class UsageError extends Error {}

export function parseCliArguments(argv: readonly string[]): CliArguments {
    const rest = [...argv];
    const command = rest[0] === 'run' || rest[0] === 'check' ? rest.shift() : rest[0]?.startsWith('--') === true ? 'run' : undefined;
    if (command !== 'run' && command !== 'check') throw new UsageError(`unknown command ${rest[0] ?? '(none)'}`);
    const options = new Map<string, string>();
    while (rest.length > 0) {
        const name = rest.shift()!;
        const value = rest.shift();
        if ((name !== '--config' && name !== '--simulate') || value === undefined || value.startsWith('--')) throw new UsageError(`bad option ${name}`);
        options.set(name, value);
    }
    const configPath = options.get('--config');
    if (configPath === undefined) throw new UsageError('--config <file> is required (relay settings and the shared secret)');
    return { command, configPath, simulatePath: options.get('--simulate') };
}

async function openShell(args: CliArguments, config: AgentConfig, logger: Logger, deps: CliDependencies): Promise<ExchangeShell> {
    if (args.simulatePath === undefined) return deps.shellFactory(config, logger);
    logger.info('using the simulated Exchange organization', { scenario: args.simulatePath });
    return createSimulatedShell(await loadScenarioFile(args.simulatePath));
}

async function readCa(config: AgentConfig): Promise<string | undefined> {
    return config.relay.caFile === undefined ? undefined : readFile(config.relay.caFile, 'utf8');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(args: CliArguments, config: AgentConfig, logger: Logger, deps: CliDependencies): Promise<number> {
    let healthy = true;
    const ca = await readCa(config);
    const listener = deps.listenerFactory({
        namespace: config.relay.namespace,
        hybridConnection: config.relay.hybridConnection,
        listenRule: { name: config.relay.listenRuleName, key: config.relay.listenKey },
        handler: () => Promise.resolve({ status: 503, headers: {}, body: Buffer.alloc(0) }),
        logger,
        ...(ca === undefined ? {} : { ca }),
    });
    listener.start();
    try {
        await withTimeout(listener.connected(), deps.relayCheckTimeoutMs, `no connection within ${deps.relayCheckTimeoutMs} ms`);
        logger.info('check relay: ok', { check: 'relay', ok: true, namespace: config.relay.namespace, hybridConnection: config.relay.hybridConnection });
    } catch (error) {
        healthy = false;
        logger.error('check relay: failed', { check: 'relay', ok: false, error: errorMessage(error) });
    } finally {
        await listener.close();
    }
    const shell = await openShell(args, config, logger, deps);
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

async function run(args: CliArguments, config: AgentConfig, logger: Logger, deps: CliDependencies): Promise<number> {
    const shell = await openShell(args, config, logger, deps);
    const handler = await openAgentRequestHandler({ dataFolder: config.dataFolder, sharedSecret: config.sharedSecret, shell, logger });
    const ca = await readCa(config);
    const listener = deps.listenerFactory({
        namespace: config.relay.namespace,
        hybridConnection: config.relay.hybridConnection,
        listenRule: { name: config.relay.listenRuleName, key: config.relay.listenKey },
        handler,
        logger,
        ...(ca === undefined ? {} : { ca }),
    });
    listener.start();
    listener.connected().catch((error: unknown) => logger.error('the relay refused the listener; it keeps retrying', { error: errorMessage(error) }));
    logger.info('agent listening', { namespace: config.relay.namespace, hybridConnection: config.relay.hybridConnection, dataFolder: config.dataFolder });
    await deps.waitForStop();
    logger.info('agent stopping');
    await listener.close();
    await handler.whenIdle();
    await shell.close();
    return 0;
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
    try {
        const config = await loadAgentConfig(args.configPath, deps.unprotect);
        const logger = new Logger({ component: 'agent', hybridConnection: config.relay.hybridConnection }, deps.sink, config.logLevel);
        return args.command === 'check' ? await check(args, config, logger, deps) : await run(args, config, logger, deps);
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
