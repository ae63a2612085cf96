import { parseArgs } from 'node:util';
import { type AgentSetup, check, type CliDependencies, DEFAULT_CLI_DEPENDENCIES, run, runCli, stopSignalFor } from '../../agent/cli';
import { errorMessage } from '../../lib/errors';
import { Logger } from '../../lib/logger';
import { NO_PROXY_POLICY } from '../../agent/relay/outbound-proxy';
import { loadScenarioFile } from '../scenario/schema';
import { formatSimulationDetails, type SimulationOutputOptions, simulationDetails } from './connection-details';
import { createSimulatedShell } from './simulated-shell';
import { SIMULATED_HYBRID_CONNECTION, startStandaloneSimulation } from './standalone-simulation';

/**
 * The agent in front of a scenario's simulated Exchange organization, for trying it without Exchange
 * or Azure. It lives here, not in agent/, so that the shipped agent carries no simulation: this
 * entry point imports the agent, never the other way round.
 */
export const SIMULATED_AGENT_USAGE = [
    'usage: simulated-agent [run | check] --scenario <scenario.json> [--config <file>] [--json] [--show-secrets]',
    '  the agent in front of the simulated Exchange organization of a scenario instead of PowerShell',
    '  --config        the real relay and secrets of an agent configuration; without it, a relay stand-in',
    '                  on 127.0.0.1 and throwaway keys (no Azure)',
    '  --json          without --config: print the connection details as one JSON line',
    '  --show-secrets  without --config: include the Send key and the shared secret in them',
].join('\n');

export type SimulatedAgentArguments =
    | { readonly command: 'run' | 'check'; readonly scenarioPath: string; readonly configPath: string }
    | { readonly command: 'run' | 'check'; readonly scenarioPath: string; readonly configPath?: undefined; readonly output: SimulationOutputOptions };

export class SimulatedAgentUsageError extends Error {}

export function parseSimulatedAgentArguments(argv: readonly string[]): SimulatedAgentArguments {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: { scenario: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, 'show-secrets': { type: 'boolean' } },
        });
    } catch (error) {
        throw new SimulatedAgentUsageError(errorMessage(error));
    }
    const [command = 'run', ...extra] = parsed.positionals;
    if ((command !== 'run' && command !== 'check') || extra.length > 0) throw new SimulatedAgentUsageError(`unknown command ${[command, ...extra].join(' ')}`);
    const { scenario, config, json = false, 'show-secrets': showSecrets = false } = parsed.values;
    if (scenario === undefined) throw new SimulatedAgentUsageError('--scenario <scenario.json> is required');
    if (config === undefined) return { command, scenarioPath: scenario, output: { json, showSecrets } };
    if (json || showSecrets) throw new SimulatedAgentUsageError('--json and --show-secrets only apply without --config');
    return { command, scenarioPath: scenario, configPath: config };
}

async function runStandalone(args: Extract<SimulatedAgentArguments, { configPath?: undefined }>, deps: CliDependencies): Promise<number> {
    const logger = new Logger({ component: 'agent', hybridConnection: SIMULATED_HYBRID_CONNECTION, simulation: true }, deps.sink);
    const stopRequested = stopSignalFor(args.command, deps);
    const simulation = await startStandaloneSimulation(args.scenarioPath, logger);
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

/** Runs the simulated agent; resolves to the process exit code (0 ok, 1 failed check or error, 2 usage). */
export async function runSimulatedAgent(argv: readonly string[], overrides: Partial<CliDependencies> = {}): Promise<number> {
    const deps: CliDependencies = { ...DEFAULT_CLI_DEPENDENCIES, ...overrides };
    const bootLogger = new Logger({ component: 'agent', simulation: true }, deps.sink);
    let args: SimulatedAgentArguments;
    try {
        args = parseSimulatedAgentArguments(argv);
    } catch (error) {
        bootLogger.error(`${errorMessage(error)}\n${SIMULATED_AGENT_USAGE}`);
        return 2;
    }
    try {
        if (args.configPath === undefined) return await runStandalone(args, deps);
        const scenario = await loadScenarioFile(args.scenarioPath);
        bootLogger.info('using the simulated Exchange organization', { scenario: args.scenarioPath });
        return await runCli([args.command, '--config', args.configPath], { ...deps, shellFactory: () => createSimulatedShell(scenario) });
    } catch (error) {
        bootLogger.error(errorMessage(error));
        return 1;
    }
}

if (typeof require !== 'undefined' && require.main === module) {
    void runSimulatedAgent(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
