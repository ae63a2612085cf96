import { ValidationError } from '../../lib/errors';
import { loadScenarioFile, type Scenario } from '../scenario/schema';
import { CliUsageError } from '../../cli/usage-error';

/** Loads and validates a scenario; a missing, unreadable or invalid file is a usage error naming the problem. */
export async function loadScenarioForCli(path: string): Promise<Scenario> {
    try {
        return await loadScenarioFile(path);
    } catch (error) {
        if (error instanceof ValidationError) {
            const lines = error.issues.map((issue) => `  ${issue.field}: ${issue.reason}`);
            throw new CliUsageError(`scenario ${path} is not valid:\n${lines.join('\n')}`);
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new CliUsageError(`scenario file ${path} does not exist`);
        if (code === 'EISDIR') throw new CliUsageError(`scenario ${path} is a directory, not a file`);
        throw new CliUsageError(`cannot read scenario ${path}: ${(error as Error).message}`);
    }
}
