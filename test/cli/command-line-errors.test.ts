import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../local/cli/demo';
import { runStart } from '../../local/cli/start';
import { memoryIo } from './support/memory-io';

describe('a bad command line or scenario file', () => {
    let folder: string;

    beforeAll(async () => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-cli-'));
        const valid = { name: 'x', tenant: { domain: 'contoso.com' }, exchange: { organization: { name: 'C', guid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' }, userDnsDomain: 'corp.contoso.com', acceptedDomains: ['contoso.com'], servers: [{ name: 'EX1', fqdn: 'ex1', adminDisplayVersion: 'Version 15.0 (Build 1497.2)', roles: ['Mailbox'] }] }, entra: { tenantId: '0b5a4c3d-2e1f-4a9b-8c7d-6e5f4a3b2c1d' }, faults: {} };
        await writeFile(join(folder, 'not-json.json'), '{ "name": ');
        await writeFile(join(folder, 'bad-build.json'), JSON.stringify({ ...valid, exchange: { ...valid.exchange, servers: [{ ...valid.exchange.servers[0], adminDisplayVersion: '15.0.1497.2' }] } }));
        await writeFile(join(folder, 'no-tenant.json'), JSON.stringify({ ...valid, tenant: undefined, faults: { graph: [{ status: 418 }] } }));
    });

    afterAll(async () => {
        await rm(folder, { recursive: true, force: true });
    });

    const run = { demo: runDemo, start: runStart };

    it.each([
        { command: 'demo', argv: ['--settle', '1000'], message: 'demo: --settle must be a whole number from 0 to 900, not "1000"', usage: true },
        { command: 'demo', argv: ['--bogus'], message: "demo: Unknown option '--bogus'", usage: true },
        { command: 'start', argv: ['--port', 'x'], message: 'start: --port must be a whole number from 0 to 65535, not "x"', usage: true },
        { command: 'demo', argv: ['--scenario', 'missing.json'], message: 'does not exist', usage: false },
        { command: 'start', argv: ['--scenario', 'missing.json'], message: 'does not exist', usage: false },
        { command: 'demo', argv: ['--scenario', '.'], message: 'is a directory', usage: false },
        { command: 'demo', argv: ['--scenario', 'not-json.json'], message: 'not-json.json is not valid:\n  (file): ', usage: false },
        { command: 'demo', argv: ['--scenario', 'bad-build.json'], message: '  exchange.servers.0.adminDisplayVersion: must look like "Version 15.0 (Build 1497.2)"', usage: false },
        { command: 'start', argv: ['--scenario', 'no-tenant.json'], message: '  tenant: ', usage: false },
        { command: 'demo', argv: ['--scenario', 'no-tenant.json'], message: '  faults.graph.0.status: ', usage: false },
    ] as const)('$command $argv exits 2 naming the problem, without starting anything', async ({ command, argv, message, usage }) => {
        // Prepare
        const io = memoryIo(folder);
        let started = 0;
        const startStack = () => {
            started++;
            return Promise.reject(new Error('must not start'));
        };

        // Act
        const code = await run[command](argv, io, { startStack, untilStopped: () => Promise.resolve() });

        // Assess
        expect(code).toBe(2);
        expect(io.stderr.text).toContain(message);
        expect(io.stderr.text.includes('Usage:')).toBe(usage);
        expect(io.stdout.text).toBe('');
        expect(started).toBe(0);
    });

    it.each([
        { command: 'demo', first: 'Usage: npm run demo' },
        { command: 'start', first: 'Usage: npm start' },
    ] as const)('$command --help prints the usage and exits 0', async ({ command, first }) => {
        // Prepare
        const io = memoryIo(folder);

        // Act
        const code = await run[command](['--help'], io, { startStack: () => Promise.reject(new Error('must not start')), untilStopped: () => Promise.resolve() });

        // Assess
        expect(code).toBe(0);
        expect(io.stdout.text.startsWith(first)).toBe(true);
    });
});
