import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder with the project's package.json, from bench/ sources or from dist/bench. */
export function repoRoot(): string {
    for (let folder = __dirname; ; folder = dirname(folder)) {
        if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'functions'))) return folder;
        if (dirname(folder) === folder) throw new Error(`no project root above ${__dirname}`);
    }
}
