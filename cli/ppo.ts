#!/usr/bin/env node
// ppo: the administrator's CLI. Talks to a deployment's HTTP API (the Function App or the local
// stack) with a function key; see docs/cli.md.
import { CliUsageError } from './usage-error';
import { EXIT, processIo, type CliIo } from './cli-io';
import { resolveApiTarget, type PpoEnvironment } from './api-connection';
import { apiErrorJson, apiErrorLines, exitCodeFor } from './api-error-report';
import { PpoApiClient, ApiError, ApiUnreachable } from './ppo-api';
import { parsePpoArgs, type PpoCommand } from './ppo-args';
import { executeCommand, FIELD_OPTIONS, type RunnableCommand } from './ppo-commands';
import { commandUsage, isCommandName, PPO_USAGE } from './ppo-usage';

export interface PpoOptions {
    /** Between two reads of a running run; 2 s by default. */
    readonly pollIntervalMs?: number;
    /** Ctrl-C: stop following a run (it goes on) or abort the call in flight. */
    readonly signal?: AbortSignal;
}

const DEFAULT_POLL_INTERVAL_MS = 2_000;

function helpHint(argv: readonly string[]): string {
    return isCommandName(argv[0]) ? `ppo ${argv[0]} --help` : 'ppo --help';
}

function readCommand(argv: readonly string[], io: CliIo): PpoCommand | number {
    try {
        return parsePpoArgs(argv);
    } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        io.stderr.write(`ppo: ${error.message}\nRun ${helpHint(argv)} for the usage.\n`);
        return EXIT.usage;
    }
}

async function runCommand(command: RunnableCommand, env: PpoEnvironment, io: CliIo, options: PpoOptions): Promise<number> {
    let api: PpoApiClient;
    try {
        api = new PpoApiClient(await resolveApiTarget(command.connection, env, io.cwd, (message) => io.stderr.write(`${message}\n`)), options.signal);
    } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        io.stderr.write(`ppo: ${error.message}\n`);
        return EXIT.usage;
    }
    try {
        return await executeCommand(command, {
            io,
            api,
            json: command.json,
            pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
    } catch (error) {
        if (error instanceof ApiError) {
            io.stderr.write(`${apiErrorLines(error, FIELD_OPTIONS[command.kind]).join('\n')}\n`);
            if (command.json) io.stdout.write(`${JSON.stringify(apiErrorJson(error), null, 2)}\n`);
            return exitCodeFor(error);
        }
        if (error instanceof ApiUnreachable) {
            io.stderr.write(`ppo: ${error.message}\n`);
            return EXIT.failed;
        }
        if (error instanceof CliUsageError) {
            io.stderr.write(`ppo: ${error.message}\n`);
            return EXIT.usage;
        }
        if (options.signal?.aborted === true) {
            io.stderr.write('ppo: interrupted\n');
            return EXIT.interrupted;
        }
        throw error;
    }
}

/** Runs ppo; resolves with the exit code: 0 done, 1 failed (run or API), 2 bad arguments (here or per the API's 400), 130 interrupted. */
export async function runPpo(argv: readonly string[], env: PpoEnvironment, io: CliIo = processIo(), options: PpoOptions = {}): Promise<number> {
    const command = readCommand(argv, io);
    if (typeof command === 'number') return command;
    if (command.kind === 'help') {
        io.stdout.write(command.command === undefined ? PPO_USAGE : commandUsage(command.command));
        return EXIT.ok;
    }
    return runCommand(command, env, io, options);
}

if (require.main === module) {
    const controller = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
    runPpo(process.argv.slice(2), process.env, processIo(), { signal: controller.signal }).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`ppo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
