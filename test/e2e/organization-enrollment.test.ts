import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relayActionOf } from '../../local/relay/relay-management-stand-in';
import { LocalAgent } from '../../local/stack/local-agent';
import { AGENT_SECRET_PREFIX, type LocalStack } from '../../local/stack/local-stack';
import { ALLOWED_CUSTOM_ROLES } from '../infra/known-roles';
import { api, onboard } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

interface Enrolled {
    readonly organization: string;
    readonly agentConfiguration: {
        readonly relay: { readonly namespace: string; readonly hybridConnection: string; readonly listenRuleName: string; readonly listenKey: string };
        readonly sharedSecret: string;
    };
}

const NAME = 'fabrikam-exchange';

describe('an organization is enrolled and removed at run time, without redeployment', () => {
    let stack: LocalStack;
    let agent: LocalAgent | undefined;
    let dataFolder: string | undefined;
    afterEach(async () => {
        await agent?.stop();
        if (dataFolder !== undefined) await rm(dataFolder, { recursive: true, force: true });
        await stack.stop();
    });

    const startAgent = async (enrolled: Enrolled): Promise<LocalAgent> => {
        dataFolder = await mkdtemp(join(tmpdir(), 'ppo-enrolled-agent-'));
        const { relay, sharedSecret } = enrolled.agentConfiguration;
        const started = new LocalAgent({
            namespace: stack.relay.namespace,
            hybridConnection: relay.hybridConnection,
            listenRule: { name: relay.listenRuleName, key: relay.listenKey },
            caPem: stack.relay.caPem,
            sharedSecret,
            dataFolder,
            shell: stack.exchange,
            restartAfterOperations: [],
        });
        await started.start();
        return started;
    };

    it('creates the hybrid connection, its Listen rule and the agent secret, and an agent configured from the answer onboards a tenant', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);

        // Act
        const answer = await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });
        agent = await startAgent(answer.body);
        const run = await onboard(stack, { agent: { hybridConnection: NAME } });

        // Assess
        expect(answer.status).toBe(201);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.body.agentConfiguration.relay).toMatchObject({ namespace: stack.appSettings.PPO_RELAY_NAMESPACE, hybridConnection: NAME, listenRuleName: 'agent-listen' });
        expect(stack.relay.hasHybridConnection(NAME)).toBe(true);
        expect(stack.cloud.keyVault.secretValues().find((secret) => secret.name === `${AGENT_SECRET_PREFIX}${NAME}`)?.value).toBe(answer.body.agentConfiguration.sharedSecret);
        expect(stack.relayManagement.requests.map((request) => `${request.method} ${request.status}`)).toEqual(['GET 404', 'PUT 200', 'PUT 200', 'POST 200']);
        expect(run.runtimeStatus).toBe('Completed');
    }, 90_000);

    it('refuses to enroll the same name twice, handing out nothing', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);
        await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });

        // Act
        const again = await api<{ error: { code: string } }>(stack, 'POST', 'organizations', { name: NAME });

        // Assess
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('organization_exists');
        expect(JSON.stringify(again.body)).not.toContain('listenKey');
    });

    it('revokes on removal: the hybrid connection and its rule go, the agent is cut off, the secret is deleted', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);
        const enrolled = await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });
        agent = await startAgent(enrolled.body);
        const connectedBefore = stack.relay.listenerCount(NAME);

        // Act
        const removed = await api<{ outcome: string }>(stack, 'DELETE', `organizations/${NAME}`);

        // Assess
        expect(connectedBefore).toBe(1);
        expect(removed.status).toBe(200);
        expect(removed.body.outcome).toBe('removed');
        expect(stack.relay.hasHybridConnection(NAME)).toBe(false);
        expect(stack.relay.listenerCount(NAME)).toBe(0);
        expect(stack.cloud.keyVault.hasSecret(`${AGENT_SECRET_PREFIX}${NAME}`)).toBe(false);
    });

    it('enrolls a removed organization again: its soft-deleted secret is recovered and replaced, and the new agent onboards', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);
        const first = await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });
        await api(stack, 'DELETE', `organizations/${NAME}`);

        // Act
        const again = await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });
        agent = await startAgent(again.body);
        const run = await onboard(stack, { agent: { hybridConnection: NAME } });

        // Assess
        expect(again.status).toBe(201);
        const stored = stack.cloud.keyVault.secretValues().find((secret) => secret.name === `${AGENT_SECRET_PREFIX}${NAME}`)?.value;
        expect(stored).toBe(again.body.agentConfiguration.sharedSecret);
        expect(stored).not.toBe(first.body.agentConfiguration.sharedSecret);
        expect(run.runtimeStatus).toBe('Completed');
    }, 90_000);

    it('needs exactly the Relay actions of the custom role infra grants for it, each of them', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);
        const pinned = ALLOWED_CUSTOM_ROLES.get('Push proxy organization enrollment')!.actions;

        // Act
        await api<Enrolled>(stack, 'POST', 'organizations', { name: NAME });
        await api(stack, 'DELETE', `organizations/${NAME}`);

        // Assess
        const used = new Set(stack.relayManagement.requests.map((request) => relayActionOf(request.method, request.path)));
        expect([...used].sort()).toEqual([...pinned].sort());
    });

    it.each([
        ['an operator', 'operator'],
        ['a reader', 'reader'],
    ] as const)('refuses enrollment to %s: it takes the administrator role', async (_case, caller) => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);

        // Act
        const answer = await api(stack, 'POST', 'organizations', { name: NAME }, caller);

        // Assess
        expect(answer.status).toBe(403);
        expect(stack.relayManagement.requests).toEqual([]);
    });

    it.each([
        ['a name with a space', { name: 'fabrikam exchange' }, 'body.name'],
        ['an unknown field', { name: NAME, listenKey: 'x' }, 'body.listenKey'],
    ])('refuses %s, creating nothing', async (_case, body, field) => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO);

        // Act
        const answer = await api<{ error: { issues: { field: string }[] } }>(stack, 'POST', 'organizations', body);

        // Assess
        expect(answer.status).toBe(400);
        expect(answer.body.error.issues.map((issue) => issue.field)).toContain(field);
        expect(stack.relayManagement.requests).toEqual([]);
    });
});
