import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA_DIR } from '../infra-sources';
import type { ArmTemplate } from './arm-template';

/** What the real Bicep compiler said about infra/main.bicep, and the ARM template it compiled. */
export interface Compilation {
    readonly build: { readonly status: number | null; readonly diagnostics: string };
    readonly lint: { readonly status: number | null; readonly diagnostics: string };
    readonly template: ArmTemplate;
}

/**
 * The compiler npm test brought (scripts/test-tools/bicep.mjs sets PPO_TEST_BICEP). Without it the
 * infrastructure cannot be checked at all, so the suite fails rather than passing on nothing.
 */
export function bicepExecutable(): string {
    const executable = process.env.PPO_TEST_BICEP;
    if (!executable) {
        throw new Error('PPO_TEST_BICEP is not set: run the infrastructure tests through `npm test -- test/infra` (it brings the Bicep compiler), or set PPO_TEST_BICEP to a Bicep CLI.');
    }
    return executable;
}

function run(args: readonly string[]): { status: number | null; diagnostics: string } {
    const result = spawnSync(bicepExecutable(), args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    // Bicep writes its diagnostics to stderr, one per line, warnings and errors alike.
    return { status: result.status, diagnostics: `${result.stderr}`.trim() };
}

/** `bicep build` and `bicep lint` on infra/main.bicep, under infra/bicepconfig.json. */
export function compileInfrastructure(): Compilation {
    const outDir = mkdtempSync(join(tmpdir(), 'ppo-bicep-'));
    try {
        const outFile = join(outDir, 'main.json');
        const main = join(INFRA_DIR, 'main.bicep');
        const build = run(['build', main, '--outfile', outFile]);
        if (build.status !== 0) throw new Error(`bicep build failed:\n${build.diagnostics}`);
        const template = JSON.parse(readFileSync(outFile, 'utf8')) as ArmTemplate;
        return { build, lint: run(['lint', main]), template };
    } finally {
        rmSync(outDir, { recursive: true, force: true });
    }
}
