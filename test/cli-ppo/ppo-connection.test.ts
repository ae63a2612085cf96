import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
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
        { raw: 'http://ppo-contoso.azurewebsites.net', message: 'must use https: plain http would send the access token in clear' },
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

describe('the sign-in', () => {
    const prompt = (): void => undefined;
    const base = { PPO_API_URL: 'https://a.azurewebsites.net', PPO_API_APP_ID_URI: 'api://6c0ffee0-0000-4000-8000-000000000001' };

    it.each([
        { name: 'the Azure CLI by default', options: {}, env: base, expected: { baseUrl: 'https://a.azurewebsites.net' } },
        { name: '--api-url over PPO_API_URL', options: { apiUrl: 'https://b.azurewebsites.net' }, env: base, expected: { baseUrl: 'https://b.azurewebsites.net' } },
        { name: 'a device code with tenant and client', options: { signIn: 'device-code' as const }, env: { ...base, PPO_TENANT_ID: 't', PPO_CLIENT_ID: 'c' }, expected: { baseUrl: 'https://a.azurewebsites.net' } },
    ])('takes $name', async ({ options, env, expected }) => {
        // Act
        const target = await resolveApiTarget(options, env, tmpdir(), prompt);

        // Assess
        expect(target).toMatchObject(expected);
        expect(Object.keys(target)).not.toContain('functionKey');
    });

    it.each([
        { name: 'no URL', options: {}, env: { PPO_API_APP_ID_URI: 'api://x' }, message: 'no API URL: pass --api-url <url> or set PPO_API_URL' },
        { name: 'no API app id URI', options: {}, env: { PPO_API_URL: 'https://a.azurewebsites.net' }, message: '--sign-in cli needs PPO_API_APP_ID_URI' },
        { name: 'a device code without a tenant', options: { signIn: 'device-code' as const }, env: { ...base, PPO_CLIENT_ID: 'c' }, message: '--sign-in device-code needs PPO_TENANT_ID' },
        { name: 'a client secret without the secret', options: { signIn: 'client-secret' as const }, env: { ...base, PPO_TENANT_ID: 't', PPO_CLIENT_ID: 'c' }, message: '--sign-in client-secret needs PPO_CLIENT_SECRET' },
        { name: 'a missing CA file', options: { signIn: 'client-secret' as const }, env: { ...base, PPO_EXTRA_CA_FILE: 'nope.pem' }, message: 'cannot read PPO_EXTRA_CA_FILE nope.pem (ENOENT)' },
    ])('refuses $name', async ({ options, env, message }) => {
        // Act
        const resolving = resolveApiTarget(options, env, tmpdir(), prompt);

        // Assess
        await expect(resolving).rejects.toThrow(CliUsageError);
        await expect(resolving).rejects.toThrow(message);
    });
});

describe('ppo before it reaches an API', () => {
    it.each([
        { argv: ['--help'], exitCode: 0, stdout: 'Usage: ppo <command> [arguments] [options]', stderr: '' },
        { argv: ['onboard', '--help'], exitCode: 0, stdout: 'Usage: ppo onboard <tenantDomain> --hybrid-connection <name> [options]', stderr: '' },
        { argv: [], exitCode: 2, stdout: '', stderr: 'ppo: a command is needed: onboard, verify, status, tenants, tenant or org\nRun ppo --help for the usage.\n' },
        { argv: ['onboard', 'contoso.com', '--cloud', 'mars'], exitCode: 2, stdout: '', stderr: 'Run ppo onboard --help for the usage.' },
        { argv: ['tenants', '--function-key', KEY], exitCode: 2, stdout: '', stderr: '--function-key is not accepted' },
        { argv: ['tenants', `--client-secret=${KEY}`], exitCode: 2, stdout: '', stderr: '--client-secret is not accepted' },
        { argv: ['tenants', '--sign-in', 'password'], exitCode: 2, stdout: '', stderr: 'Run ppo tenants --help for the usage.' },
        { argv: ['tenants', '--api-url', 'http://ppo.example.com'], exitCode: 2, stdout: '', stderr: 'ppo: the API URL must use https' },
    ].map(withLine))('"ppo $line" exits $exitCode', async ({ argv, exitCode, stdout, stderr }) => {
        // Prepare
        const io = memoryIo();

        // Act
        const code = await runPpo(argv, { PPO_CLIENT_SECRET: KEY }, io);

        // Assess
        expect(code).toBe(exitCode);
        expect(io.stdout.text.startsWith(stdout)).toBe(true);
        expect(io.stderr.text).toContain(stderr);
        expect(io.stdout.text + io.stderr.text).not.toContain(KEY);
    });

    it('exits 1 saying it could not sign in when nothing answers at the authority, and sends nothing to the API', async () => {
        // Prepare
        const io = memoryIo();
        const [apiPort, authorityPort] = [await closedPort(), await closedPort()];
        const env = { PPO_API_URL: `http://127.0.0.1:${apiPort}`, PPO_API_APP_ID_URI: 'api://x', PPO_TENANT_ID: 't', PPO_CLIENT_ID: 'c', PPO_CLIENT_SECRET: KEY, PPO_AUTHORITY_HOST: `https://127.0.0.1:${authorityPort}` };

        // Act
        const code = await runPpo(['tenants', '--sign-in', 'client-secret'], env, io);

        // Assess
        expect(code).toBe(1);
        expect(io.stderr.text).toMatch(/^ppo: could not sign in for the API: /);
        expect(io.stderr.text).not.toContain(KEY);
    });
});
