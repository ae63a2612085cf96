import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/usage-error';
import { apiBaseUrl, resolveApiTarget } from '../../cli/api-connection';
import { runPpo } from '../../cli/ppo';
import { memoryIo } from '../cli/support/memory-io';
import { withLine } from './support/with-line';

const KEY = 'c2VjcmV0LWZ1bmN0aW9uLWtleQ==';

/** A port on 127.0.0.1 that nothing listens on any more. */
async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
}

describe('the API URL', () => {
    it.each([
        { raw: 'https://ppo-contoso.azurewebsites.net', baseUrl: 'https://ppo-contoso.azurewebsites.net' },
        { raw: 'https://ppo-contoso.azurewebsites.net/', baseUrl: 'https://ppo-contoso.azurewebsites.net' },
        { raw: 'https://ppo-contoso.azurewebsites.net/api', baseUrl: 'https://ppo-contoso.azurewebsites.net' },
        { raw: 'https://ppo-contoso.azurewebsites.net/api/', baseUrl: 'https://ppo-contoso.azurewebsites.net' },
        { raw: 'https://gateway.contoso.com/ppo/api', baseUrl: 'https://gateway.contoso.com/ppo' },
        { raw: 'http://127.0.0.1:7071/api', baseUrl: 'http://127.0.0.1:7071' },
        { raw: 'http://localhost:7071', baseUrl: 'http://localhost:7071' },
        { raw: 'http://[::1]:7071', baseUrl: 'http://[::1]:7071' },
    ])('reads $raw as $baseUrl', ({ raw, baseUrl }) => {
        // Act
        const read = apiBaseUrl(raw);

        // Assess
        expect(read).toBe(baseUrl);
    });

    it.each([
        { raw: 'ppo-contoso.azurewebsites.net', message: 'is not a URL; expected e.g. https://<app>.azurewebsites.net' },
        { raw: 'http://ppo-contoso.azurewebsites.net', message: 'must use https: plain http would send the function key in clear' },
        { raw: 'http://10.0.0.4:7071', message: 'must use https' },
        { raw: 'ftp://ppo-contoso.azurewebsites.net', message: 'must be https://..., not ftp:' },
        { raw: 'https://admin:pw@ppo-contoso.azurewebsites.net', message: 'must not carry credentials, a query or a fragment' },
        { raw: 'https://ppo-contoso.azurewebsites.net/api?code=abc', message: 'must not carry credentials, a query or a fragment' },
    ])('refuses $raw', ({ raw, message }) => {
        // Act
        const read = () => apiBaseUrl(raw);

        // Assess
        expect(read).toThrow(CliUsageError);
        expect(read).toThrow(message);
    });
});

describe('the function key', () => {
    let folder: string;

    beforeAll(async () => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-key-'));
        await writeFile(join(folder, 'key.txt'), `${KEY}\n`);
        await writeFile(join(folder, 'empty.txt'), '\n');
    });

    afterAll(async () => {
        await rm(folder, { recursive: true, force: true });
    });

    it.each([
        { name: 'both from the environment', options: {}, env: { PPO_API_URL: 'https://a.azurewebsites.net', PPO_FUNCTION_KEY: KEY }, expected: { baseUrl: 'https://a.azurewebsites.net', functionKey: KEY } },
        { name: '--api-url over PPO_API_URL', options: { apiUrl: 'https://b.azurewebsites.net' }, env: { PPO_API_URL: 'https://a.azurewebsites.net', PPO_FUNCTION_KEY: KEY }, expected: { baseUrl: 'https://b.azurewebsites.net' } },
        { name: '--function-key-file (trimmed, relative to the working folder) over PPO_FUNCTION_KEY', options: { functionKeyFile: 'key.txt' }, env: { PPO_API_URL: 'https://a.azurewebsites.net', PPO_FUNCTION_KEY: 'other' }, expected: { functionKey: KEY } },
    ])('takes $name', async ({ options, env, expected }) => {
        // Act
        const target = await resolveApiTarget(options, env, folder);

        // Assess
        expect(target).toMatchObject(expected);
    });

    it.each([
        { name: 'no URL', options: {}, env: { PPO_FUNCTION_KEY: KEY }, message: 'no API URL: pass --api-url <url> or set PPO_API_URL' },
        { name: 'no key', options: {}, env: { PPO_API_URL: 'https://a.azurewebsites.net' }, message: 'no function key: set PPO_FUNCTION_KEY or pass --function-key-file <path>' },
        { name: 'a blank key', options: {}, env: { PPO_API_URL: 'https://a.azurewebsites.net', PPO_FUNCTION_KEY: '  ' }, message: 'no function key' },
        { name: 'a missing key file', options: { functionKeyFile: 'nope.txt' }, env: { PPO_API_URL: 'https://a.azurewebsites.net' }, message: 'cannot read --function-key-file nope.txt (ENOENT)' },
        { name: 'an empty key file', options: { functionKeyFile: 'empty.txt' }, env: { PPO_API_URL: 'https://a.azurewebsites.net' }, message: '--function-key-file empty.txt is empty' },
    ])('refuses $name', async ({ options, env, message }) => {
        // Act
        const resolving = resolveApiTarget(options, env, folder);

        // Assess
        await expect(resolving).rejects.toThrow(CliUsageError);
        await expect(resolving).rejects.toThrow(message);
    });
});

describe('ppo before it reaches an API', () => {
    it.each([
        { argv: ['--help'], exitCode: 0, stdout: 'Usage: ppo <command> [arguments] [options]', stderr: '' },
        { argv: ['onboard', '--help'], exitCode: 0, stdout: 'Usage: ppo onboard <tenantDomain> --hybrid-connection <name> [options]', stderr: '' },
        { argv: [], exitCode: 2, stdout: '', stderr: 'ppo: a command is needed: onboard, verify, status, tenants or tenant\nRun ppo --help for the usage.\n' },
        { argv: ['onboard', 'contoso.com', '--cloud', 'mars'], exitCode: 2, stdout: '', stderr: 'Run ppo onboard --help for the usage.' },
        { argv: ['tenants', '--function-key', KEY], exitCode: 2, stdout: '', stderr: '--function-key is not accepted' },
        { argv: ['tenants', '--api-url', 'http://ppo.example.com'], exitCode: 2, stdout: '', stderr: 'ppo: the API URL must use https' },
    ].map(withLine))('"ppo $line" exits $exitCode', async ({ argv, exitCode, stdout, stderr }) => {
        // Prepare
        const io = memoryIo();

        // Act
        const code = await runPpo(argv, { PPO_FUNCTION_KEY: KEY }, io);

        // Assess
        expect(code).toBe(exitCode);
        expect(io.stdout.text.startsWith(stdout)).toBe(true);
        expect(io.stderr.text).toContain(stderr);
        expect(io.stdout.text + io.stderr.text).not.toContain(KEY);
    });

    it('exits 1 naming the URL when nothing answers there', async () => {
        // Prepare
        const io = memoryIo();
        const port = await closedPort();

        // Act
        const code = await runPpo(['tenants'], { PPO_API_URL: `http://127.0.0.1:${port}`, PPO_FUNCTION_KEY: KEY }, io);

        // Assess
        expect(code).toBe(1);
        expect(io.stderr.text).toBe(`ppo: cannot reach http://127.0.0.1:${port}/api/tenants (ECONNREFUSED)\n`);
    });
});
