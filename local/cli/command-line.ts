import type { Scenario } from '../scenario/schema';
import { CliUsageError } from '../../cli/usage-error';
import { EXIT, type CliIo } from '../../cli/cli-io';
import { loadScenarioForCli } from './scenario-file';

export interface CommandLineSpec<T extends { readonly scenarioPath: string; readonly help: boolean }> {
    readonly command: string;
    readonly usage: string;
    readonly parse: (argv: readonly string[], cwd: string) => T;
}

/**
 * Parses the options and loads the scenario. Resolves with an exit code when the command should
 * end here: 0 after --help, 2 after a bad option (with the usage) or a bad scenario (naming each field).
 */
export async function readCommandLine<T extends { readonly scenarioPath: string; readonly help: boolean }>(
    argv: readonly string[],
    io: CliIo,
    spec: CommandLineSpec<T>,
): Promise<{ options: T; scenario: Scenario } | number> {
    let options: T;
    try {
        options = spec.parse(argv, io.cwd);
    } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        io.stderr.write(`${spec.command}: ${error.message}\n\n${spec.usage}`);
        return EXIT.usage;
    }
    if (options.help) {
        io.stdout.write(spec.usage);
        return EXIT.ok;
    }
    try {
        return { options, scenario: await loadScenarioForCli(options.scenarioPath) };
    } catch (error) {
        if (!(error instanceof CliUsageError)) throw error;
        io.stderr.write(`${spec.command}: ${error.message}\n`);
        return EXIT.usage;
    }
}
