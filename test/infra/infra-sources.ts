import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INFRA_DIR = join(REPO_ROOT, 'infra');

/** Bicep files keyed by their path relative to infra/, with forward slashes. */
export type BicepFiles = ReadonlyMap<string, string>;

export function readBicepFiles(dir: string = INFRA_DIR): BicepFiles {
    const files = new Map<string, string>();
    const walk = (folder: string): void => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
            const path = join(folder, entry.name);
            if (entry.isDirectory()) {
                walk(path);
            } else if (entry.name.endsWith('.bicep')) {
                files.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
            }
        }
    };
    walk(dir);
    return files;
}

export function readInfraText(name: string): string {
    return readFileSync(join(INFRA_DIR, name), 'utf8');
}

/** Where a module reference written in `fromFile` points, relative to infra/. */
export function resolveModulePath(fromFile: string, modulePath: string): string {
    return posix.normalize(posix.join(posix.dirname(fromFile), modulePath));
}

/** Registry and template-spec references (br:, br/, ts:, ts/) are not files in this repository. */
export function isRegistryReference(modulePath: string): boolean {
    return /^(br|ts)[:/]/.test(modulePath);
}
