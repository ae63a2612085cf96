import { builtinModules } from 'node:module';

/** The part of esbuild's metafile these tests read. */
export interface BundleMetafile {
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** What the agent must never carry: the Function App's SDKs and the local harness. */
export const FORBIDDEN_PACKAGE_PATTERN = /^(@azure\/|@microsoft\/|durable-functions$|azurite$|vitest$|fast-check$|hyco-https$)/;
export const FORBIDDEN_SOURCE_PREFIXES = ['functions/', 'orchestrators/', 'activities/', 'test/', 'local/'];

/** "node_modules/@scope/name/lib/x.js" -> "@scope/name"; undefined for the project's own sources. */
export function packageOfInput(inputPath: string): string | undefined {
    const marker = 'node_modules/';
    const at = inputPath.lastIndexOf(marker);
    if (at === -1) return undefined;
    const [first, second] = inputPath.slice(at + marker.length).split('/');
    return first?.startsWith('@') === true ? `${first}/${second}` : first;
}

export function packagesIn(metafile: BundleMetafile): string[] {
    return [...new Set(Object.keys(metafile.inputs).flatMap((input) => packageOfInput(input) ?? []))].sort();
}

/** Modules the bundle still loads with require(): anything but Node's own must have been inlined. */
export function requiredModules(bundleText: string): string[] {
    const names = [...bundleText.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1] ?? '');
    return [...new Set(names)].filter((name) => !builtinModules.includes(name.replace(/^node:/, ''))).sort();
}
