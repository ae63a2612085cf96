import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/infra-sources';

/** The project's own configuration, as `npm run lint` applies it, on text planted at a product path. */
async function lintAt(filePath: string, code: string, ruleId = 'no-restricted-imports'): Promise<string[]> {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((message) => message.ruleId === ruleId).map((message) => message.message);
}

describe('product code never imports local/ (issue 15, finding 5)', () => {
    it.each([
        ['agent/cli.ts', "import { loadScenarioFile } from '../local/scenario/schema';\nexport const l = loadScenarioFile;\n"],
        ['agent/relay/framed-channel.ts', "import { startRelayStandIn } from '../../local/relay/relay-stand-in';\nexport const s = startRelayStandIn;\n"],
        ['agent/create-shell.ts', "import type { Scenario } from '../local/scenario/schema';\nexport type S = Scenario;\n"],
        ['cli/ppo.ts', "import { CliUsageError } from '../local/cli/cli-args';\nexport const e = CliUsageError;\n"],
        ['lib/relay/relay-sender.ts', "import { RealClock } from '../../local/clock';\nexport const c = RealClock;\n"],
        ['functions/index.ts', "import { RealClock } from '../local/clock';\nexport const c = RealClock;\n"],
        ['activities/agent-inventory.ts', "import { RealClock } from '../local/clock';\nexport const c = RealClock;\n"],
        ['orchestrators/onboard-tenant.ts', "import type { Scenario } from '../local/scenario/schema';\nexport type S = Scenario;\n"],
    ])('refuses an import of local/ in %s', async (filePath, code) => {
        // Act
        const messages = await lintAt(filePath, code);

        // Assess
        expect(messages).toContainEqual(expect.stringContaining('never imports local/'));
    }, 60_000);

    it('lets local/ import the agent', async () => {
        // Act
        const messages = await lintAt('local/agent/simulated-shell.ts', "import type { ExchangeShell } from '../../agent/exchange-shell';\nexport type S = ExchangeShell;\n");

        // Assess
        expect(messages).toEqual([]);
    }, 60_000);
});

describe('product code never terminates or purges an orchestration (a key writer holder would keep its lock)', () => {
    const client = 'export async function end(client: { terminate(id: string, reason: string): Promise<void>; purgeInstanceHistory(id: string): Promise<unknown>; purgeInstanceHistoryBy(f: unknown): Promise<unknown> }): Promise<void> {\n';

    it.each([
        ['functions/http/get-run.ts', `${client}    await client.terminate('onboard-contoso.com', 'operator');\n}\n`],
        ['functions/http/onboard-tenant.ts', `${client}    await client.purgeInstanceHistory('onboard-contoso.com');\n}\n`],
        ['cli/ppo.ts', `${client}    await client.purgeInstanceHistoryBy({});\n}\n`],
        ['lib/config.ts', `${client}    await client.terminate('x', 'y');\n}\n`],
    ])('refuses it in %s', async (filePath, code) => {
        // Act
        const messages = await lintAt(filePath, code, 'no-restricted-syntax');

        // Assess
        expect(messages).toContainEqual(expect.stringContaining('never terminates or purges an orchestration'));
    }, 60_000);

    it('lets the agent terminate a WebSocket', async () => {
        // Act
        const messages = await lintAt('agent/relay/websocket-connections.ts', 'export function close(socket: { terminate(): void }): void {\n    socket.terminate();\n}\n', 'no-restricted-syntax');

        // Assess
        expect(messages).toEqual([]);
    }, 60_000);
});
