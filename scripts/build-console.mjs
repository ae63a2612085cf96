// node scripts/build-console.mjs  (also run by `npm run build` and by the browser tests)
// Bundles the operator's console (console/src, Preact) with esbuild into dist/console: app.js,
// style.css and index.html naming them with their content's hash as a version (`app.js?v=<hash>`:
// the paths stay fixed, so that App Service authentication can exclude exactly them), plus
// manifest.json listing every file and its version (the Function App serves only what it lists). Incremental: when dist/console/manifest.json
// records the same fingerprint of the sources, nothing is rebuilt (a few milliseconds).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Everything the bundle may read: the console itself and the API types it imports (types vanish, but a change must rebuild). */
const SOURCE_FOLDERS = ['console/src', 'functions/http', 'lib/contracts', 'lib/auth'];

async function filesUnder(folder) {
    const entries = await readdir(folder, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function fingerprint(root) {
    const hash = createHash('sha256');
    hash.update(await readFile(fileURLToPath(import.meta.url)));
    for (const folder of SOURCE_FOLDERS) {
        for (const file of (await filesUnder(join(root, folder))).sort()) {
            const info = await stat(file);
            hash.update(`${relative(root, file)}\0${info.size}\0${info.mtimeMs}\0`);
        }
    }
    return hash.digest('hex');
}

async function readManifest(outdir) {
    try {
        return JSON.parse(await readFile(join(outdir, 'manifest.json'), 'utf8'));
    } catch {
        return undefined;
    }
}

function indexHtml(files) {
    const script = `app.js?v=${files['app.js']}`;
    const style = `style.css?v=${files['style.css']}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Push proxy console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><p>Loading the console…</p></div>
<noscript>The console needs JavaScript.</noscript>
</body>
</html>
`;
}

/** Builds dist/console when its sources changed; returns the folder. */
export async function buildConsole({ root = ROOT, log = () => undefined } = {}) {
    const outdir = join(root, 'dist', 'console');
    const print = await fingerprint(root);
    if ((await readManifest(outdir))?.fingerprint === print) return outdir;
    // Built beside, then swapped in, so that a host serving the old build never reads half a new one.
    const staging = `${outdir}.${process.pid}.${Date.now()}`;
    const result = await build({
        absWorkingDir: root,
        entryPoints: { app: 'console/src/main.tsx', style: 'console/src/style.css' },
        bundle: true,
        format: 'esm',
        target: 'es2022',
        minify: true,
        sourcemap: false,
        jsx: 'automatic',
        jsxImportSource: 'preact',
        entryNames: '[name]',
        outdir: staging,
        metafile: true,
        logLevel: 'silent',
        legalComments: 'none',
    });
    const outputs = Object.keys(result.metafile.outputs).map((file) => relative(staging, join(root, file)));
    if (outputs.sort().join() !== 'app.js,style.css') throw new Error(`the console build produced ${outputs.join(', ')}, not app.js and style.css`);
    /** Each file with the hash of its content: its version. */
    const files = {};
    for (const file of outputs) files[file] = createHash('sha256').update(await readFile(join(staging, file))).digest('hex').slice(0, 16);
    await writeFile(join(staging, 'index.html'), indexHtml(files));
    files['index.html'] = createHash('sha256').update(await readFile(join(staging, 'index.html'))).digest('hex').slice(0, 16);
    await writeFile(join(staging, 'manifest.json'), JSON.stringify({ fingerprint: print, files }, null, 2));
    await mkdir(dirname(outdir), { recursive: true });
    const old = `${outdir}.old.${process.pid}.${Date.now()}`;
    await rename(outdir, old).catch(() => undefined);
    try {
        await rename(staging, outdir);
    } catch (error) {
        // Another process built the same sources at the same moment: keep its build.
        await rm(staging, { recursive: true, force: true });
        if ((await readManifest(outdir))?.fingerprint !== print) throw error;
    }
    await rm(old, { recursive: true, force: true });
    log(`console built into ${relative(root, outdir)}: ${Object.keys(files).join(', ')}`);
    return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await buildConsole({ log: (line) => process.stdout.write(`${line}\n`) });
}
