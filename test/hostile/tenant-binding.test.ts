import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeShell } from '../../agent/exchange-shell';
import { MemoryLogSink } from '../../lib/logger';
import type { ShellInventory } from '../../lib/protocol';
import { ForwardingExchangeShell, type ShellOperation } from '../../local/exchange/forwarding-shell';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, callerHeaders, onboard, type RunStarted, waitForRun } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';
import { expectApiError } from './support/api-assertions';
import { rawRequest } from './support/raw-http';
import { expectNoSideEffects } from './support/side-effects';

const FABRIKAM_GUID = '2d7e9a41-5b6c-4d8e-9f0a-1b2c3d4e5f60';

/** Answers as another organization's agent would when `impostor` is set: same servers, another organization GUID. */
class ImpostorShell extends ForwardingExchangeShell {
    impostor = false;

    protected around<T>(_operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        return run();
    }

    override async inventory(): Promise<ShellInventory> {
        const inventory = await super.inventory();
        return this.impostor ? { ...inventory, organization: { name: 'Fabrikam', guid: FABRIKAM_GUID } } : inventory;
    }
}

const WRITE_CMDLET = /^(New|Set|Enable|Import|Remove|Restart|Invoke)-/;

/**
 * Issue 15, finding 2: a tenant could be re-bound to another organization's agent, which then
 * received the tenant's private key. A tenant is now bound at its first onboarding to its hybrid
 * connection and its organization's GUID; another binding is an explicit administrator action.
 */
describe('a tenant is bound to its organization', () => {
    const logs = new MemoryLogSink();
    let stack: LocalStack;
    let shell: ImpostorShell;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO, {
            logSink: logs.sink,
            wrapShell: (inner: ExchangeShell) => {
                shell = new ImpostorShell(inner);
                return shell;
            },
        });
        const run = await onboard(stack);
        if (run.runtimeStatus !== 'Completed') throw new Error(`onboarding ended ${run.runtimeStatus}: ${JSON.stringify(run.error)}`);
    });

    afterAll(async () => {
        await stack.stop();
    });

    function post(path: string, body: unknown) {
        return rawRequest(stack.baseUrl, {
            method: 'POST',
            path: `/api/${path}`,
            headers: { ...callerHeaders(stack, 'administrator'), 'content-type': 'application/json' },
            body: Buffer.from(JSON.stringify(body)),
        });
    }

    it('refuses onboarding the bound tenant with another hybrid connection with a 409 tenant_bound and its remedy, and starts nothing', async () => {
        // Prepare
        const path = `tenants/${stack.scenario.tenant.domain}/onboard`;

        // Act
        const response = await expectNoSideEffects(stack, logs.records, () => post(path, { agent: { hybridConnection: 'fabrikam-exchange' } }));

        // Assess
        const error = expectApiError(response, 409);
        expect(error.code).toBe('tenant_bound');
        expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ error: { remedy: expect.stringContaining('/rebind') as string } });
    });

    it.each([
        { kind: 'verification in repair mode', path: 'verify', body: { mode: 'repair' } },
        { kind: 'onboarding again', path: 'onboard', body: { agent: { hybridConnection: 'contoso-exchange' } } },
    ])('fails $kind with organization_mismatch, before any write, when the agent reports another organization', async ({ path, body }) => {
        // Prepare
        shell.impostor = true;
        const commandsBefore = stack.exchange.commandLog().length;
        const patchesBefore = stack.cloud.graph.patchBodies().length;
        const vaultWritesBefore = stack.cloud.keyVault.requests.filter((r) => r.method !== 'GET').length;

        // Act
        const started = await api<RunStarted>(stack, 'POST', `tenants/${stack.scenario.tenant.domain}/${path}`, body);
        expect(started.status).toBe(202);
        const run = await waitForRun(stack, started.body.instanceId);
        shell.impostor = false;

        // Assess
        expect({ status: run.runtimeStatus, code: run.error?.code }).toEqual({ status: 'Failed', code: 'organization_mismatch' });
        expect(stack.exchange.commandLog().slice(commandsBefore).map((c) => c.cmdlet).filter((cmdlet) => WRITE_CMDLET.test(cmdlet))).toEqual([]);
        expect(stack.cloud.graph.patchBodies().length).toBe(patchesBefore);
        expect(stack.cloud.keyVault.requests.filter((r) => r.method !== 'GET').length).toBe(vaultWritesBefore);
    });

    it('lets an administrator re-bind the tenant explicitly, after which the new organization is the bound one', async () => {
        // Prepare
        shell.impostor = true;
        const domain = stack.scenario.tenant.domain;

        // Act
        const rebound = await api<{ previous: { organizationGuid: string | null } }>(stack, 'POST', `tenants/${domain}/rebind`, {
            agent: { hybridConnection: stack.scenario.agent.hybridConnection },
            organizationGuid: FABRIKAM_GUID,
        });
        const started = await api<RunStarted>(stack, 'POST', `tenants/${domain}/verify`, {});
        const run = await waitForRun(stack, started.body.instanceId);
        shell.impostor = false;

        // Assess
        expect(rebound.status).toBe(200);
        expect(rebound.body.previous.organizationGuid).toBe(stack.scenario.exchange.organization.guid.toLowerCase());
        expect(run.error?.code).not.toBe('organization_mismatch');
        expect((await api<{ tenant: { organizationGuid: string } }>(stack, 'GET', `tenants/${domain}`)).body.tenant.organizationGuid).toBe(FABRIKAM_GUID);
    });
});
