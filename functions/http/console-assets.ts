import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { errorResponse } from './responses';

/**
 * The console's Content-Security-Policy: its own script and style sheet and calls to its own origin
 * only; no inline script, no framing (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy).
 */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
};

interface Manifest {
    /** Every file the build wrote, with the hash of its content: the page names each as `<file>?v=<hash>`. */
    readonly files: Readonly<Record<string, string>>;
}

/** dist/console of the app: the folder holding package.json is the app's root, from sources (tests) and compiled (dist/) alike. */
function consoleFolder(): string {
    let folder = __dirname;
    while (!existsSync(join(folder, 'package.json'))) {
        const parent = dirname(folder);
        if (parent === folder) throw new Error('the app has no package.json above its functions');
        folder = parent;
    }
    return join(folder, 'dist', 'console');
}

let manifest: Promise<Manifest | undefined> | undefined;

async function readManifest(): Promise<Manifest | undefined> {
    try {
        return JSON.parse(await readFile(join(consoleFolder(), 'manifest.json'), 'utf8')) as Manifest;
    } catch {
        return undefined;
    }
}

function securityHeaders(): Record<string, string> {
    return { 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
}

/**
 * GET /api/console/{*path}: the console's built files (`npm run build` writes them). Only the files
 * the build's manifest lists are served, so no requested path reaches the file system; the console's
 * own pages are in its URL fragment. A file asked for with its current
 * version never changes: cached for a year; the page is revalidated on every load, so a deployment is
 * seen at once.
 */
export async function serveConsole(request: HttpRequest): Promise<HttpResponseInit> {
    const known = await (manifest ??= readManifest());
    if (known === undefined) {
        manifest = undefined;
        return errorResponse(503, 'console_not_built', 'the console has not been built: run `npm run build`');
    }
    const requested = request.params.path ?? '';
    // The page names its files relative to itself: /api/console must be /api/console/.
    if (requested === '' && !new URL(request.url).pathname.endsWith('/')) return { status: 301, headers: { location: `${new URL(request.url).pathname}/`, ...securityHeaders() } };
    const file = requested === '' ? 'index.html' : requested;
    const version = Object.hasOwn(known.files, file) ? known.files[file] : undefined;
    if (version === undefined) return errorResponse(404, 'not_found', `the console has no file ${requested}`);
    const body = await readFile(join(consoleFolder(), file));
    // Only the version this build names may be kept: a request for another (an older page) is revalidated.
    const hashed = file !== 'index.html' && request.query.get('v') === version;
    return {
        status: 200,
        body,
        headers: {
            'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
            ...securityHeaders(),
        },
    };
}
