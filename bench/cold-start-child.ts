/**
 * Run by the cold start benchmark in a fresh Node process: imports either the app's entry point or
 * only @azure/functions and durable-functions, and prints how long that took, with the local host's
 * @azure/functions-core stand-in installed first in both cases (the worker supplies the real one).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installFunctionsCoreModule } from '../local/host/worker/install-core-module';
import { HEAVY_PACKAGES } from './support/heavy-packages';

function loadedPackages(load: NodeJS.Require): string[] {
    const files = Object.keys(load.cache);
    return HEAVY_PACKAGES.filter((name) => files.some((file) => file.includes(`/node_modules/${name}/`)));
}

function main(): void {
    installFunctionsCoreModule();
    const load = createRequire(__filename);
    const target = process.argv[2];
    const started = performance.now();
    if (target === 'sdk') {
        load('@azure/functions');
        load('durable-functions');
    } else if (target === 'app') {
        load(join(__dirname, '..', 'functions', 'index.js'));
    } else {
        throw new Error(`usage: cold-start-child sdk|app, got ${String(target)}`);
    }
    const ms = performance.now() - started;
    process.stdout.write(`${JSON.stringify({ target, ms, loaded: loadedPackages(load) })}\n`);
}

main();
