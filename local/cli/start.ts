// `npm start`: the whole product on this machine until SIGINT or SIGTERM.
import { once } from 'node:events';
import { RealClock, VirtualClock } from '../clock';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../stack/local-stack';
import { EXIT, processIo, type CliIo } from '../../cli/cli-io';
import { readCommandLine } from './command-line';
import { streamLogSink } from './log-sinks';
import { parseStartArgs, START_USAGE } from './start-args';
import { startBanner } from './start-banner';

export interface StartDependencies {
    readonly startStack: (options: LocalStackOptions) => Promise<LocalStack>;
    /** Resolves when the stack should stop: SIGINT or SIGTERM for the real command. */
    readonly untilStopped: () => Promise<unknown>;
}

function untilSignalled(): Promise<unknown> {
    return Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
}

/** Runs the local stack until stopped; resolves with the exit code (2 for a bad command line or scenario). */
export async function runStart(
    argv: readonly string[],
    io: CliIo = processIo(),
    dependencies: StartDependencies = { startStack: startLocalStack, untilStopped: untilSignalled },
): Promise<number> {
    const commandLine = await readCommandLine(argv, io, { command: 'start', usage: START_USAGE, parse: parseStartArgs });
    if (typeof commandLine === 'number') return commandLine;
    const { options, scenario } = commandLine;

    // Listening before the stack starts: a Ctrl+C during start-up stops it as soon as it is up.
    const stopped = dependencies.untilStopped();
    io.stdout.write(`Starting the local stack for scenario "${scenario.name}"...\n`);
    let stack: LocalStack;
    try {
        // The virtual clock starts now, so that times in the API read like today's.
        const clock = options.virtualClock ? new VirtualClock(Date.now()) : new RealClock();
        stack = await dependencies.startStack({ scenario, clock, port: options.port, logSink: streamLogSink(io.stdout) });
    } catch (error) {
        io.stderr.write(`start: the local stack did not start: ${(error as Error).message}\n`);
        return EXIT.failed;
    }
    io.stdout.write(`${startBanner(stack).join('\n')}\n`);
    await stopped;
    io.stdout.write('Stopping the local stack...\n');
    await stack.stop();
    io.stdout.write('Stopped.\n');
    return EXIT.ok;
}

if (require.main === module) {
    runStart(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
