// npm run build:agent [-- --outdir <folder>]
// Bundles the on-premises agent into one CommonJS file for Node 20 (every npm dependency inlined),
// copies its PowerShell scripts beside it, and refuses a bundle that carries code the agent must not:
// the inputs are checked from esbuild's metafile before anything is written.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPTS_SOURCE = join(ROOT, 'agent', 'scripts');
const BUNDLE_NAME = 'agent.js';
const METAFILE_NAME = 'agent.meta.json';

/** npm packages the agent may carry; any other fails the build until someone reviews it and adds it here. */
const ALLOWED_PACKAGES = new Set(['ws', 'zod']);

/** Packages that must never reach the agent, with the reason the build gives. */
const FORBIDDEN_PACKAGES = [
    [/^@azure\//, 'Azure SDKs belong to the Function App'],
    [/^durable-functions$/, 'Durable Functions belongs to the Function App'],
    [/^@microsoft\/microsoft-graph-client$/, 'Microsoft Graph is called by the Function App'],
    [/^azurite$/, 'Azurite is a local development tool'],
];

/**
 * Source folders the agent must not carry: the Function App's, and local/ whole (the local harness,
 * its stand-ins and the simulated agent, which imports the agent, never the other way round).
 */
const FORBIDDEN_SOURCES = [
    'functions/',
    'orchestrators/',
    'activities/',
    'test/',
    'local/',
    'lib/app-services.ts',
    'lib/keyvault/',
    'lib/graph/',
    'lib/identity/',
    'lib/registry/',
];

/** ws loads these optional native accelerators inside try/catch and works without them. */
const OPTIONAL_NATIVE_MODULES = ['bufferutil', 'utf-8-validate'];

/**
 * The optional native modules resolve to a module inside the bundle that throws, as a missing
 * module does: left external, Node would look for them in every node_modules folder above the
 * bundle (C:\node_modules on Windows, https://nodejs.org/api/modules.html#loading-from-node_modules-folders),
 * where anyone who can write there would run code as the agent's account (issue 15, finding 5).
 */
const absentNativeModules = {
    name: 'absent-native-modules',
    setup(builder) {
        const filter = new RegExp(`^(${OPTIONAL_NATIVE_MODULES.join('|')})$`);
        builder.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent-native-module' }));
        builder.onLoad({ filter: /.*/, namespace: 'absent-native-module' }, (args) => ({
            contents: `throw Object.assign(new Error(${JSON.stringify(`${args.path} is not part of the agent bundle`)}), { code: 'MODULE_NOT_FOUND' });`,
            loader: 'js',
        }));
    },
};

/** "node_modules/@scope/name/..." -> "@scope/name"; the innermost node_modules wins. */
function packageOf(inputPath) {
    const marker = 'node_modules/';
    const at = inputPath.lastIndexOf(marker);
    if (at === -1) return undefined;
    const parts = inputPath.slice(at + marker.length).split('/');
    return parts[0]?.startsWith('@') === true ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** "ws" for "ws/lib/x.js", "@azure/identity" for "@azure/identity/sub"; undefined for Node's own modules. */
function packageOfSpecifier(specifier) {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return undefined;
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function forbiddenReason(name) {
    return FORBIDDEN_PACKAGES.find(([pattern]) => pattern.test(name))?.[1];
}

/** Stops at the import itself, naming the file that made it, before esbuild wanders into the package. */
const refuseForbiddenImports = {
    name: 'refuse-forbidden-imports',
    setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = packageOfSpecifier(args.path);
            const reason = name === undefined ? undefined : forbiddenReason(name);
            if (reason === undefined) return undefined;
            return { errors: [{ text: `${relative(ROOT, args.importer)} imports ${name}, which the agent must not carry (${reason})` }] };
        });
    },
};

/** "agent", "lib", "local" for sources, the package name for dependencies. */
function originOf(inputPath) {
    return packageOf(inputPath) ?? inputPath.split('/')[0];
}

/** One line per offending package or source file. */
function forbiddenInputs(metafile) {
    const problems = new Set();
    for (const inputPath of Object.keys(metafile.inputs)) {
        const name = packageOf(inputPath);
        if (name === undefined) {
            const source = FORBIDDEN_SOURCES.find((prefix) => inputPath.startsWith(prefix));
            if (source !== undefined) problems.add(`${inputPath}: ${source} is not part of the agent`);
            continue;
        }
        const reason = forbiddenReason(name);
        if (reason !== undefined) problems.add(`package ${name} is forbidden (${reason})`);
        else if (!ALLOWED_PACKAGES.has(name)) problems.add(`package ${name} is not on the agent's allowlist (ALLOWED_PACKAGES in scripts/build-agent.mjs)`);
    }
    return [...problems];
}

function bytesByOrigin(metafile, outputPath) {
    const totals = new Map();
    for (const [inputPath, { bytesInOutput }] of Object.entries(metafile.outputs[outputPath]?.inputs ?? {})) {
        const origin = originOf(inputPath);
        totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
    }
    return [...totals].sort((a, b) => b[1] - a[1]);
}

async function copyScripts(outdir) {
    const target = join(outdir, 'scripts');
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { recursive: true });
    const scripts = (await readdir(SCRIPTS_SOURCE)).filter((name) => name.endsWith('.ps1'));
    await Promise.all(scripts.map((name) => copyFile(join(SCRIPTS_SOURCE, name), join(target, name))));
    return scripts.length;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main() {
    const { values } = parseArgs({
        options: {
            outdir: { type: 'string', default: join(ROOT, 'dist', 'agent') },
            // Lets the guard's own test feed it an entry point that imports a forbidden package.
            entry: { type: 'string', default: join(ROOT, 'agent', 'cli.ts') },
        },
    });
    const outdir = resolve(values.outdir);
    const outfile = join(outdir, BUNDLE_NAME);
    let result;
    try {
        result = await build({
            absWorkingDir: ROOT,
            entryPoints: [resolve(values.entry)],
            outfile,
            bundle: true,
            platform: 'node',
            target: 'node20',
            format: 'cjs',
            sourcemap: 'linked',
            sourcesContent: false,
            metafile: true,
            write: false,
            logLevel: 'warning',
            plugins: [absentNativeModules, refuseForbiddenImports],
        });
    } catch {
        // esbuild has printed its errors already.
        process.stderr.write('build:agent failed.\n');
        process.exitCode = 1;
        return;
    }

    const problems = forbiddenInputs(result.metafile);
    if (problems.length > 0) {
        process.stderr.write(`build:agent refused the bundle; it would carry code the agent must not:\n  ${problems.join('\n  ')}\n`);
        process.exitCode = 1;
        return;
    }

    await mkdir(outdir, { recursive: true });
    await Promise.all(result.outputFiles.map((file) => writeFile(file.path, file.contents)));
    await writeFile(join(outdir, METAFILE_NAME), JSON.stringify(result.metafile));
    const scriptCount = await copyScripts(outdir);

    const outputKey = relative(ROOT, outfile).split('\\').join('/');
    const bundle = result.outputFiles.find((file) => file.path === outfile);
    const origins = bytesByOrigin(result.metafile, outputKey).map(([origin, bytes]) => `${origin} ${kib(bytes)}`);
    process.stdout.write(
        [
            `build:agent: ${relative(process.cwd(), outfile) || outfile} ${kib(bundle?.contents.length ?? 0)} (+ source map), ${scriptCount} scripts in scripts/`,
            `  inputs: ${origins.join(', ')}`,
            '',
        ].join('\n'),
    );
}

await main();
