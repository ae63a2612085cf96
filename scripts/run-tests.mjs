#!/usr/bin/env node
// `npm test`: bring the tools the suites need where this machine lacks them (each tool is one module
// in scripts/test-tools/), then type-check, lint and run vitest with those tools' paths in the
// environment. Extra arguments go to vitest (`npm test -- test/unit`).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, 'scripts', 'test-tools');
const isWindows = process.platform === 'win32';

const env = { ...process.env };
const problems = [];
for (const file of readdirSync(toolsDir).filter((f) => f.endsWith('.mjs')).sort()) {
    const tool = await import(pathToFileURL(join(toolsDir, file)).href);
    try {
        const found = await tool.ensure({ env, root, log: (line) => process.stdout.write(`[test tools] ${line}\n`) });
        for (const [name, value] of Object.entries(found)) env[name] = value;
    } catch (error) {
        problems.push(`${tool.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
}
if (problems.length > 0) {
    process.stderr.write(`npm test needs tools this machine lacks and cannot install by itself:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
}

function run(command, args) {
    const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', shell: isWindows });
    if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npm', ['run', '--silent', 'typecheck']);
run('npm', ['run', '--silent', 'lint']);
run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)]);
