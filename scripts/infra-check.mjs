#!/usr/bin/env node
// `npm run infra:check`: compiles infra/main.bicep and lints it with the pinned Bicep compiler (brought
// from NuGet when missing, scripts/test-tools/bicep.mjs), under infra/bicepconfig.json, where every
// core linter rule is an error. Any diagnostic, warning or error, fails the check. `npm test` runs the
// same check in test/infra/bicep-compiler.test.ts.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensure } from './test-tools/bicep.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'infra', 'main.bicep');

let bicep;
try {
    ({ PPO_TEST_BICEP: bicep } = await ensure({ env: { ...process.env }, root, log: (line) => process.stdout.write(`[bicep] ${line}\n`) }));
} catch (error) {
    process.stderr.write(`infra:check: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
}

let failed = false;
for (const [label, args] of [
    ['build', ['build', main, '--stdout']],
    ['lint', ['lint', main]],
]) {
    const result = spawnSync(bicep, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    const diagnostics = (result.stderr ?? '').trim();
    if (result.status !== 0 || diagnostics !== '') {
        failed = true;
        process.stderr.write(`bicep ${label} infra/main.bicep: exit ${result.status}\n${diagnostics}\n`);
    } else {
        process.stdout.write(`bicep ${label} infra/main.bicep: no diagnostics\n`);
    }
}
process.exit(failed ? 1 : 0);
