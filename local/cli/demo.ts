// `npm run demo`: the local stack, one onboarding through the HTTP API, the step table live, and what changed.
import { silentSink } from '../../lib/logger';
import { RealClock, VirtualClock } from '../clock';
import { findPowerShell } from '../exchange/powershell/powershell-double';
import { providerOptionsOf } from '../stack/customer-organizations';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../stack/local-stack';
import { EXIT, processIo, type CliIo } from '../../cli/cli-io';
import { readCommandLine } from './command-line';
import { DEMO_USAGE, parseDemoArgs } from './demo-args';
import { renderOutcome } from './demo-report';
import { onboardThroughApi } from './demo-run';
import { customersSucceeded, enrollAndOnboardCustomers, renderCustomers } from './demo-customers';
import { streamLogSink } from './log-sinks';
import { summarizeWorld } from './world-summary';

export interface DemoDependencies {
    readonly startStack: (options: LocalStackOptions) => Promise<LocalStack>;
    /** Aborting stops watching the run; the stack is stopped either way. */
    readonly signal?: AbortSignal;
}

/** Runs the demo; resolves with the exit code (0 only when onboarding succeeded, 2 for a bad command line or scenario). */
export async function runDemo(argv: readonly string[], io: CliIo = processIo(), dependencies: DemoDependencies = { startStack: startLocalStack }): Promise<number> {
    const commandLine = await readCommandLine(argv, io, { command: 'demo', usage: DEMO_USAGE, parse: parseDemoArgs });
    if (typeof commandLine === 'number') return commandLine;
    const { options, scenario } = commandLine;
    const progress = options.json ? io.stderr : io.stdout;
    const clock = options.virtualClock ? new VirtualClock() : new RealClock();

    progress.write(`Scenario "${scenario.name}": ${scenario.description}\n`);
    progress.write(`Starting the local stack on the ${clock.virtual ? 'virtual' : 'real'} clock...\n`);
    let stack: LocalStack;
    try {
        if (options.powershell) progress.write('The agent runs host.ps1 and its scripts in PowerShell, against the Exchange cmdlet double.\n');
        const provider = providerOptionsOf(scenario);
        stack = await dependencies.startStack({
            scenario,
            ...(provider === undefined ? {} : { provider }),
            clock,
            port: 0,
            logSink: options.verbose ? streamLogSink(io.stderr) : silentSink,
            ...(options.powershell ? { powershell: { powershell: findPowerShell() } } : {}),
        });
    } catch (error) {
        io.stderr.write(`demo: the local stack did not start: ${(error as Error).message}\n`);
        return EXIT.failed;
    }
    try {
        const customers = scenario.provider?.customers;
        if (customers !== undefined) {
            const reports = await enrollAndOnboardCustomers({
                stack,
                customers,
                settleSeconds: options.settleSeconds,
                progress,
                ...(dependencies.signal === undefined ? {} : { signal: dependencies.signal }),
            });
            progress.write(`\n${renderCustomers(reports).join('\n')}\n`);
            if (options.json) io.stdout.write(`${JSON.stringify({ customers: reports }, null, 2)}\n`);
            return customersSucceeded(reports) ? EXIT.ok : EXIT.failed;
        }
        const { report, before, after } = await onboardThroughApi({
            stack,
            scenario,
            options,
            progress,
            ...(dependencies.signal === undefined ? {} : { signal: dependencies.signal }),
        });
        progress.write(`\n${renderOutcome(report).join('\n')}\n\n${summarizeWorld(before, after).join('\n')}\n`);
        if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.outcome === 'succeeded' ? EXIT.ok : EXIT.failed;
    } catch (error) {
        if (dependencies.signal?.aborted === true) {
            io.stderr.write('demo: interrupted\n');
            return EXIT.interrupted;
        }
        io.stderr.write(`demo: ${(error as Error).message}\n`);
        return EXIT.failed;
    } finally {
        await stack.stop();
    }
}

if (require.main === module) {
    const controller = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
    runDemo(process.argv.slice(2), processIo(), { startStack: startLocalStack, signal: controller.signal }).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
