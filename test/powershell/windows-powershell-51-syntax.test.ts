import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPowerShell } from '../../local/exchange/powershell/powershell-double';

const REPO = resolve(__dirname, '../..');
const CHECKER = join(__dirname, 'support', 'Find-NewerThanWindowsPowerShell.ps1');

interface Problem {
    readonly file: string;
    readonly line: number;
    readonly construct: string;
}

/** Syntax and parameters newer than Windows PowerShell 5.1, each with a line that uses it. */
const NEWER: readonly (readonly [string, string])[] = [
    ['ternary operator ?:', '$a = $true ? 1 : 2'],
    ['null-coalescing ??', '$a = $b ?? 1'],
    ['null-coalescing assignment ??=', '$a ??= 1'],
    ['null-conditional ?. or ?[]', '$a = ${b}?.Length'],
    ['pipeline chain && / ||', 'Get-Date && Get-Date'],
    ['ForEach-Object -Parallel', '1..2 | ForEach-Object -Parallel { $_ }'],
    ['ConvertFrom-Json -AsHashtable', "'{}' | ConvertFrom-Json -AsHashtable"],
    ['ConvertFrom-Json -Depth', "'{}' | ConvertFrom-Json -Depth 5"],
    ['ConvertTo-Json -EnumsAsStrings', '@{} | ConvertTo-Json -EnumsAsStrings'],
    ['Get-Content -AsByteStream', 'Get-Content -Path x -AsByteStream'],
    ['command Join-String', '1..2 | Join-String'],
];

let powershell: string;
let folder: string;

async function check(paths: readonly string[]): Promise<Problem[]> {
    const { stdout } = await promisify(execFile)(powershell, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', CHECKER, '-Path', paths.join(',')], { timeout: 120_000 });
    return JSON.parse(stdout.trim()) as Problem[];
}

beforeAll(async () => {
    powershell = findPowerShell();
    folder = await mkdtemp(join(tmpdir(), 'ppo-ps51-'));
});

afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
});

describe('the scripts run in Windows PowerShell 5.1 (syntax tree walked in PowerShell)', () => {
    it('finds nothing newer than 5.1 in the agent scripts and the Exchange double', async () => {
        // Prepare
        const agent = (await readdir(join(REPO, 'agent/scripts'))).filter((f) => f.endsWith('.ps1')).map((f) => join(REPO, 'agent/scripts', f));
        const double = (await readdir(join(REPO, 'local/exchange/powershell'))).filter((f) => f.endsWith('.ps1')).map((f) => join(REPO, 'local/exchange/powershell', f));

        // Act
        const problems = await check([...agent, ...double, join(REPO, 'agent/install-service.ps1')]);

        // Assess
        expect(agent).toHaveLength(10);
        expect(problems).toEqual([]);
    }, 120_000);

    it('rejects each construct 5.1 lacks', async () => {
        // Prepare
        const files = await Promise.all(
            NEWER.map(async ([, line], index) => {
                const path = join(folder, `newer-${index}.ps1`);
                await writeFile(path, `param()\n${line}\n`);
                return path;
            }),
        );

        // Act
        const problems = await check(files);

        // Assess
        expect(NEWER.map((_row, index) => problems.filter((p) => p.file === files[index]).map((p) => p.construct))).toEqual(NEWER.map(([construct]) => [construct]));
    }, 120_000);

    it('starts every agent script with #Requires -Version 5.1', async () => {
        // Prepare
        const agent = (await readdir(join(REPO, 'agent/scripts'))).filter((f) => f.endsWith('.ps1'));

        // Act
        const headers = await Promise.all(agent.map(async (file) => [file, (await readFile(join(REPO, 'agent/scripts', file), 'utf8')).startsWith('#Requires -Version 5.1')] as const));

        // Assess
        expect(headers.filter(([, ok]) => !ok).map(([file]) => file)).toEqual([]);
    });
});
