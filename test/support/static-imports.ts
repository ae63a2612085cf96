import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const COMPILE: ts.CompilerOptions = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
const REQUIRE = /\brequire\("([^"]+)"\)/g;

function ownFile(from: string, specifier: string): string {
    const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
    const found = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (found === undefined) throw new Error(`${relative(ROOT, from)} imports ${specifier}, which is not a TypeScript file`);
    return found;
}

function packageOf(specifier: string): string {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * What loading a module loads before any of its code runs: the modules it requires once compiled as
 * the app is (imports used only as types dropped, `import()` left for later), followed through our
 * own files. Own files relative to the repository root; packages by name.
 */
export function staticImports(entry: string): { readonly ownFiles: readonly string[]; readonly packages: readonly string[] } {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const pending = [resolve(ROOT, entry)];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        if (seen.has(file)) continue;
        seen.add(file);
        const compiled = ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions: COMPILE }).outputText;
        for (const [, specifier = ''] of compiled.matchAll(REQUIRE)) {
            if (specifier.startsWith('.')) pending.push(ownFile(file, specifier));
            else packages.add(specifier.startsWith('node:') ? 'node:' : packageOf(specifier));
        }
    }
    return { ownFiles: [...seen].map((file) => relative(ROOT, file)).sort(), packages: [...packages].sort() };
}
