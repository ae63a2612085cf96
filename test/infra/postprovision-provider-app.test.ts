import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GRAPH_PERMISSION } from '../../lib/graph/graph-errors';
import { TOKEN_EXCHANGE_AUDIENCES } from '../../lib/identity/token-exchange';
import { findPowerShell } from '../../local/exchange/powershell/powershell-double';
import { REPO_ROOT } from './infra-sources';

/** One call the hook made to az or azd, as the recording fake kept it. */
interface Call {
    readonly tool: 'az' | 'azd';
    readonly args: string[];
    readonly body?: Record<string, unknown>;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDENTITY = '6b0e3f6e-58a0-4b1c-9d51-0c4f6a1d2e3f';
const PROVIDER_APP_ID = '00000002-aaaa-4aaa-8aaa-000000000002';
const APPLICATION_READWRITE_ALL = '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9';

const SHELLS = [
    { shell: 'sh', command: (): string[] => ['bash', join(REPO_ROOT, 'infra/hooks/postprovision.sh')] },
    { shell: 'pwsh', command: (): string[] => [findPowerShell(), '-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(REPO_ROOT, 'infra/hooks/postprovision.ps1')] },
] as const;

let dir: string | undefined;
afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
});

/** A folder with az and azd on a PATH of their own, both the recording fake. */
function recordingCli(): string {
    dir = mkdtempSync(join(tmpdir(), 'ppo-hook-'));
    for (const tool of ['az', 'azd']) {
        const path = join(dir, tool);
        writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'test/infra/support/recording-az.mjs')}" ${tool} "$@"\n`);
        chmodSync(path, 0o755);
    }
    return dir;
}

/** Runs the real post-provision hook with azd's environment; the fake answers and records its calls. */
function runHook(command: readonly string[], cli: string, env: Record<string, string>): { status: number | null; output: string; calls: Call[] } {
    const calls = join(cli, 'calls.jsonl');
    rmSync(calls, { force: true });
    const result = spawnSync(command[0]!, command.slice(1), {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
            PATH: `${cli}:${process.env.PATH ?? ''}`,
            HOME: process.env.HOME ?? tmpdir(),
            RECORDING_AZ_DIR: cli,
            AZURE_ENV_NAME: 'contoso-msp',
            AZURE_TENANT_ID: TENANT,
            AZURE_RESOURCE_GROUP: 'rg-contoso-msp',
            AZURE_FUNCTION_APP_NAME: 'func-ppo-abc',
            AZURE_KEY_VAULT_NAME: 'kv-ppo-abc',
            AZURE_IDENTITY_PRINCIPAL_ID: IDENTITY,
            PPO_RELAY_NAMESPACE: 'relay-ppo-abc.servicebus.windows.net',
            PPO_RELAY_NAMESPACE_NAME: 'relay-ppo-abc',
            PPO_RELAY_LISTEN_RULE: 'agent-listen',
            PPO_AGENT_SECRET_PREFIX: 'agent-secret-',
            PPO_GRAPH_PERMISSION: 'none',
            PPO_API_CLIENT_ID: '00000001-aaaa-4aaa-8aaa-000000000001',
            ...env,
        },
    });
    const recorded = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Call) : [];
    return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: recorded };
}

const urlOf = (call: Call): string => call.args[call.args.indexOf('--url') + 1] ?? '';
const writesTo = (calls: Call[], fragment: string): Call[] => calls.filter((c) => c.args[0] === 'rest' && c.args.includes('patch') && urlOf(c).includes(fragment));

describe.each(SHELLS)('the post-provision hook ($shell) for a service provider', ({ command }) => {
    it('creates the multi-tenant application with the Graph permission onboarding writes with, declared for consent', () => {
        // Prepare
        const cli = recordingCli();

        // Act
        const { status, output, calls } = runHook(command(), cli, { PPO_SERVICE_PROVIDER: 'true' });

        // Assess
        expect({ status, output }).toMatchObject({ status: 0 });
        const [upsert, ...others] = writesTo(calls, "applications(uniqueName='ppo-provider-contoso-msp')");
        expect(others).toEqual([]);
        expect(upsert!.args).toEqual(expect.arrayContaining(['Prefer=create-if-missing']));
        expect(upsert!.body).toEqual({
            displayName: 'push-proxy-orchestrator provider (contoso-msp)',
            signInAudience: 'AzureADMultipleOrgs',
            requiredResourceAccess: [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: APPLICATION_READWRITE_ALL, type: 'Role' }] }],
        });
        expect(GRAPH_PERMISSION).toBe('Application.ReadWrite.All');
    });

    it.each([
        { cloud: 'global', login: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
        { cloud: 'usGovHigh', login: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
        { cloud: 'usGovDoD', login: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
        { cloud: 'china', login: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
    ] as const)('trusts the managed identity with one federated credential: issuer, subject and audience of the $cloud cloud', ({ cloud, login, graph }) => {
        // Prepare
        const cli = recordingCli();

        // Act
        const { status, output, calls } = runHook(command(), cli, { PPO_SERVICE_PROVIDER: 'true', PPO_CLOUD: cloud });

        // Assess
        expect({ status, output }).toMatchObject({ status: 0 });
        const credentials = writesTo(calls, '/federatedIdentityCredentials');
        expect(credentials[0]?.args).toEqual(expect.arrayContaining(['Content-Type=application/json', 'Prefer=create-if-missing']));
        expect(credentials.map(urlOf)).toEqual([`${graph}/v1.0/applications/object-2/federatedIdentityCredentials(name='ppo-managed-identity')`]);
        expect(credentials[0]!.body).toEqual({
            issuer: `${login}/${TENANT}/v2.0`,
            subject: IDENTITY,
            audiences: [TOKEN_EXCHANGE_AUDIENCES[cloud]],
            description: "The push-proxy-orchestrator Function App's managed identity",
        });
    });

    it('sets PPO_PROVIDER_APP_ID on the Function App and in the azd environment', () => {
        // Prepare
        const cli = recordingCli();

        // Act
        const { calls } = runHook(command(), cli, { PPO_SERVICE_PROVIDER: 'true' });

        // Assess
        expect(calls.filter((c) => c.tool === 'azd').map((c) => c.args)).toEqual([['env', 'set', 'PPO_PROVIDER_APP_ID', PROVIDER_APP_ID]]);
        expect(calls.filter((c) => c.args.slice(0, 4).join(' ') === 'functionapp config appsettings set').map((c) => c.args)).toEqual([
            ['functionapp', 'config', 'appsettings', 'set', '--name', 'func-ppo-abc', '--resource-group', 'rg-contoso-msp', '--settings', `PPO_PROVIDER_APP_ID=${PROVIDER_APP_ID}`, 'PPO_DIRECTORIES=multiTenant', '-o', 'none'],
        ]);
    });

    it('changes nothing on a rerun: the same application, still one credential, no setting written again', () => {
        // Prepare
        const cli = recordingCli();
        const first = runHook(command(), cli, { PPO_SERVICE_PROVIDER: 'true' });
        const state = (): unknown => JSON.parse(readFileSync(join(cli, 'state.json'), 'utf8'));
        const before = state();

        // Act
        const again = runHook(command(), cli, { PPO_SERVICE_PROVIDER: 'true', PPO_PROVIDER_APP_ID: PROVIDER_APP_ID });

        // Assess
        expect(first.status).toBe(0);
        expect(again.status).toBe(0);
        expect(state()).toEqual(before);
        expect(Object.keys((state() as { credentials: object }).credentials)).toEqual(['object-2/ppo-managed-identity']);
        expect(again.calls.filter((c) => c.tool === 'azd' || c.args[0] === 'functionapp')).toEqual([]);
        expect(again.calls.filter((c) => c.args.includes('post'))).toEqual([]);
    });
});

describe.each(SHELLS)('the post-provision hook ($shell) for an organization that deploys for itself', ({ command }) => {
    it('creates no provider application and sets no provider setting', () => {
        // Prepare
        const cli = recordingCli();

        // Act
        const { status, calls } = runHook(command(), cli, {});

        // Assess
        expect(status).toBe(0);
        expect(calls.filter((c) => JSON.stringify(c).includes('ppo-provider') || JSON.stringify(c).includes('federatedIdentityCredentials') || c.args[0] === 'functionapp')).toEqual([]);
    });
});
