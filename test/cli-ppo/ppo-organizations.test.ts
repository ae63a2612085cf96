import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../agent/config';
import { AGENT_SECRET_PREFIX, type LocalStack } from '../../local/stack/local-stack';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';
import { ppo } from './support/run-ppo';

const ORGANIZATION = 'fabrikam-exchange';

describe('ppo org add and ppo org remove against a running local world', () => {
    let stack: LocalStack;
    let folder: string;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
    });
    afterAll(async () => {
        await stack?.stop();
    });
    afterEach(async () => {
        await ppo(stack, ['org', 'remove', ORGANIZATION]);
        await rm(folder, { recursive: true, force: true });
    });
    const newFolder = async (): Promise<string> => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-org-'));
        return folder;
    };
    const agentSecret = (): string | undefined => stack.cloud.keyVault.secretValues().find((entry) => entry.name === `${AGENT_SECRET_PREFIX}${ORGANIZATION}`)?.value;

    it('org add --out writes the agent configuration to a new file only its owner reads, and prints no secret', async () => {
        // Prepare
        const out = join(await newFolder(), 'agent-config.json');

        // Act
        const added = await ppo(stack, ['org', 'add', ORGANIZATION, '--out', out]);

        // Assess
        const written = agentConfigSchema.partial({ dataFolder: true }).parse(JSON.parse(await readFile(out, 'utf8')));
        expect(added.exitCode).toBe(0);
        expect((await stat(out)).mode & 0o777).toBe(0o600);
        expect(written.relay).toMatchObject({ namespace: stack.relay.namespace, hybridConnection: ORGANIZATION, listenRuleName: 'agent-listen' });
        expect(written.sharedSecret).toBe(agentSecret());
        expect(stack.relay.hasHybridConnection(ORGANIZATION)).toBe(true);
        const printed = added.io.stdout.text + added.io.stderr.text;
        expect(printed).toContain(`Enrolled ${ORGANIZATION}`);
        expect(printed).not.toContain(written.sharedSecret);
        expect(printed).not.toContain(written.relay.listenKey);
    });

    it('org add without --out prints the agent configuration once on stdout, and only there', async () => {
        // Prepare
        await newFolder();

        // Act
        const added = await ppo(stack, ['org', 'add', ORGANIZATION]);

        // Assess
        const printed = added.json<{ relay: { listenKey: string }; sharedSecret: string }>();
        expect(added.exitCode).toBe(0);
        expect(printed.sharedSecret).toBe(agentSecret());
        expect(added.io.stderr.text).not.toContain(printed.sharedSecret);
        expect(added.io.stderr.text).not.toContain(printed.relay.listenKey);
    });

    it('org add --out refuses an existing file before enrolling anything', async () => {
        // Prepare
        const out = join(await newFolder(), 'taken.json');
        await writeFile(out, 'keep me');
        const requestsBefore = stack.relayManagement.requests.length;

        // Act
        const added = await ppo(stack, ['org', 'add', ORGANIZATION, '--out', out]);

        // Assess
        expect(added.exitCode).toBe(2);
        expect(added.io.stderr.text).toContain('exists');
        expect(await readFile(out, 'utf8')).toBe('keep me');
        expect(stack.relayManagement.requests.length).toBe(requestsBefore);
    });

    it('org add of an enrolled name fails with the API\'s refusal and leaves no file behind', async () => {
        // Prepare
        const out = join(await newFolder(), 'second.json');
        await ppo(stack, ['org', 'add', ORGANIZATION, '--out', join(folder, 'first.json')]);

        // Act
        const again = await ppo(stack, ['org', 'add', ORGANIZATION, '--out', out]);

        // Assess
        expect(again.exitCode).toBe(1);
        expect(again.io.stderr.text).toContain('organization_exists');
        await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('org remove revokes the organization: hybrid connection and agent secret gone', async () => {
        // Prepare
        await ppo(stack, ['org', 'add', ORGANIZATION, '--out', join(await newFolder(), 'agent.json')]);

        // Act
        const removed = await ppo(stack, ['org', 'remove', ORGANIZATION, '--json']);

        // Assess
        expect(removed.exitCode).toBe(0);
        expect(removed.json()).toEqual({ organization: ORGANIZATION, outcome: 'removed' });
        expect(stack.relay.hasHybridConnection(ORGANIZATION)).toBe(false);
        expect(stack.cloud.keyVault.hasSecret(`${AGENT_SECRET_PREFIX}${ORGANIZATION}`)).toBe(false);
    });

    it.each([
        ['no action', ['org'], 'add or remove'],
        ['an unknown action', ['org', 'rename', ORGANIZATION], 'add or remove, not "rename"'],
        ['no name', ['org', 'add'], 'needs <name>'],
        ['--out with remove', ['org', 'remove', ORGANIZATION, '--out', 'x.json'], '--out goes with org add'],
    ])('refuses %s as a usage error, calling nothing', async (_case, argv, message) => {
        // Prepare
        await newFolder();
        const requestsBefore = stack.relayManagement.requests.length;

        // Act
        const result = await ppo(stack, argv);

        // Assess
        expect(result.exitCode).toBe(2);
        expect(result.io.stderr.text).toContain(message);
        expect(stack.relayManagement.requests.length).toBe(requestsBefore);
    });

    it('org add with a name the API refuses names the argument', async () => {
        // Prepare
        await newFolder();

        // Act
        const result = await ppo(stack, ['org', 'add', 'fabrikam exchange']);

        // Assess
        expect(result.exitCode).toBe(2);
        expect(result.io.stderr.text).toContain('<name>');
    });
});
