import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStart } from '../../local/cli/start';
import { CapturedStack, isClosed } from './support/captured-stack';
import { memoryIo, type MemoryIo } from './support/memory-io';

describe('npm start', () => {
    const captured = new CapturedStack();
    let io: MemoryIo;
    let exitCode: number;
    let answeredWhileUp: number | undefined;

    beforeAll(async () => {
        io = memoryIo();
        // "Stopped" by the test once the API has answered one request, instead of by Ctrl+C.
        const untilStopped = async () => {
            while (captured.stack === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
            const response = await fetch(`${captured.stack.baseUrl}/api/tenants`, { headers: { authorization: `Bearer ${captured.stack.api.tokenFor('reader')}` } });
            answeredWhileUp = response.status;
        };
        exitCode = await runStart(['--port', '0'], io, { startStack: captured.startStack, untilStopped });
    });

    afterAll(async () => {
        await captured.stack?.stop();
    });

    it('prints the API base URL, the sign-in page, the tenant, the hybrid connection and how ppo signs in to onboard', () => {
        // Prepare
        const { baseUrl, ppoEnvironment } = captured.world;

        // Assess
        expect(io.stdout.text).toContain(`API base URL       ${baseUrl}/api`);
        expect(io.stdout.text).toContain(`Sign in (browser)  ${baseUrl}/.auth/login/aad`);
        expect(io.stdout.text).toContain(`PPO_CLIENT_ID=${ppoEnvironment.PPO_CLIENT_ID ?? ''}`);
        expect(io.stdout.text).toContain('Tenant             contoso.com (global cloud)');
        expect(io.stdout.text).toContain('Hybrid connection  contoso-exchange');
        expect(io.stdout.text).toContain('npx ppo onboard contoso.com --hybrid-connection contoso-exchange');
    });

    it('serves the API on 127.0.0.1 on the real clock until stopped, then stops everything and exits 0', async () => {
        expect(captured.world.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(captured.world.clock.virtual).toBe(false);
        expect(answeredWhileUp).toBe(200);
        expect(exitCode).toBe(0);
        expect(io.stdout.text.trimEnd().endsWith('Stopped.')).toBe(true);
        expect(await isClosed(captured.world.baseUrl)).toBe(true);
    });
});

describe('npm start -- --virtual-clock', () => {
    it('runs the stack on a virtual clock, starting now', async () => {
        // Prepare
        const captured = new CapturedStack();
        const startedAt = Date.now();

        // Act
        const exitCode = await runStart(['--port', '0', '--virtual-clock'], memoryIo(), { startStack: captured.startStack, untilStopped: () => Promise.resolve() });
        await captured.stack?.stop();

        // Assess
        expect(exitCode).toBe(0);
        expect(captured.world.clock.virtual).toBe(true);
        expect(Math.abs(captured.world.clock.now() - startedAt)).toBeLessThan(60_000);
    });
});
