import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProcessPool, REPO_ROOT, runToEnd } from './support/agent-process';
import { type BundleMetafile, FORBIDDEN_PACKAGE_PATTERN, FORBIDDEN_SOURCE_PREFIXES, packagesIn, requiredModules } from './support/bundle-inspection';

const BUILD_SCRIPT = join(REPO_ROOT, 'scripts', 'build-agent.mjs');
const SCENARIO = join(__dirname, 'fixtures', 'contoso-two-servers.json');
const FORBIDDEN_ENTRY = join(__dirname, 'fixtures', 'forbidden-entry.ts');
const UNLISTED_ENTRY = join(__dirname, 'fixtures', 'unlisted-entry.ts');
const LOCAL_ENTRY = join(__dirname, 'fixtures', 'local-entry.ts');

const processes = new ProcessPool();
const folders: string[] = [];
let outdir = '';
let bundle = '';

async function newFolder(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'ppo-agent-bundle-'));
    folders.push(folder);
    return folder;
}

beforeAll(async () => {
    outdir = await newFolder();
    const build = await runToEnd(processes, [BUILD_SCRIPT, '--outdir', outdir]);
    if (build.code !== 0) throw new Error(`build:agent failed:\n${build.output}`);
    bundle = join(outdir, 'agent.js');
});

afterEach(() => processes.killAll());

afterAll(async () => {
    await processes.killAll();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the agent bundle', () => {
    it('is one JavaScript file with every PowerShell script of the agent beside it', async () => {
        // Prepare
        const sourceScripts = (await readdir(join(REPO_ROOT, 'agent', 'scripts'))).filter((name) => name.endsWith('.ps1')).sort();

        // Act
        const entries = (await readdir(outdir)).sort();
        const scripts = (await readdir(join(outdir, 'scripts'))).sort();

        // Assess
        expect(entries).toEqual(['agent.js', 'agent.js.map', 'agent.meta.json', 'scripts']);
        expect(scripts).toEqual(sourceScripts);
        expect(scripts).toContain('host.ps1');
    });

    it('inlines its npm dependencies: at run time it requires only Node built-ins, never a module Node would look for in folders above it', async () => {
        // Act
        const required = requiredModules(await readFile(bundle, 'utf8'));

        // Assess: issue 15, finding 5 (bufferutil and utf-8-validate were resolved from any parent node_modules, C:\node_modules included)
        expect(required).toEqual([]);
    });

    it('carries only ws and zod, and none of the Function App or the local harness', async () => {
        // Act
        const metafile = JSON.parse(await readFile(join(outdir, 'agent.meta.json'), 'utf8')) as BundleMetafile;
        const inputs = Object.keys(metafile.inputs);

        // Assess
        expect(packagesIn(metafile)).toEqual(['ws', 'zod']);
        expect(packagesIn(metafile).filter((name) => FORBIDDEN_PACKAGE_PATTERN.test(name))).toEqual([]);
        expect(inputs.filter((input) => FORBIDDEN_SOURCE_PREFIXES.some((prefix) => input.startsWith(prefix)))).toEqual([]);
        expect(inputs).toContain('agent/cli.ts');
    });

    it('carries no module from local/: no stand-in and no simulation (issue 15, finding 5)', async () => {
        // Act
        const metafile = JSON.parse(await readFile(join(outdir, 'agent.meta.json'), 'utf8')) as BundleMetafile;

        // Assess
        expect(Object.keys(metafile.inputs).filter((input) => input.startsWith('local/'))).toEqual([]);
    });

    it.each([
        ['an entry point that imports durable-functions', FORBIDDEN_ENTRY, 'imports durable-functions, which the agent must not carry'],
        ['a package that is not on the agent\'s allowlist', UNLISTED_ENTRY, 'package fast-check is not on the agent\'s allowlist'],
        ['an entry point that imports a stand-in from local/', LOCAL_ENTRY, 'local/relay/relay-stand-in.ts: local/ is not part of the agent'],
    ])('is refused by build:agent for %s, and nothing is written', async (_label, entry, message) => {
        // Prepare
        const target = await newFolder();

        // Act
        const build = await runToEnd(processes, [BUILD_SCRIPT, '--outdir', target, '--entry', entry]);

        // Assess
        expect(build.code).toBe(1);
        expect(build.output).toContain(message);
        expect(await readdir(target)).toEqual([]);
    });
});

describe('the bundle at run time', () => {
    it('--help prints the usage, which offers no simulation', async () => {
        // Act
        const result = await runToEnd(processes, [bundle, '--help']);

        // Assess
        expect(result.code).toBe(0);
        expect(result.output).toContain('agent run --config <file>');
        expect(result.output).not.toMatch(/simulat|scenario/i);
    });

    it('refuses --simulate, which belongs to the simulated agent in local/, with its usage', async () => {
        // Act
        const result = await runToEnd(processes, [bundle, 'check', '--simulate', SCENARIO]);

        // Assess
        expect(result.code).toBe(2);
        expect(result.output).toContain('bad option --simulate');
    });

    it('run --config <missing file> fails with a message naming the file', async () => {
        // Prepare
        const missing = join(await newFolder(), 'no-such-agent-config.json');

        // Act
        const result = await runToEnd(processes, [bundle, 'run', '--config', missing]);

        // Assess
        expect(result.code).toBe(1);
        expect(result.output).toContain(missing);
    });
});
