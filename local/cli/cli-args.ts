import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from this file's location in local/cli/ (TypeScript) or dist/local/cli/ (compiled). */
export function repositoryRoot(): string {
    const fromSource = resolve(__dirname, '..', '..');
    return existsSync(join(fromSource, 'package.json')) ? fromSource : resolve(__dirname, '..', '..', '..');
}

export function defaultScenarioPath(): string {
    return join(repositoryRoot(), 'local', 'scenarios', 'default.json');
}

export function scenarioPathOption(raw: string | undefined, cwd: string): string {
    return raw === undefined ? defaultScenarioPath() : resolve(cwd, raw);
}
