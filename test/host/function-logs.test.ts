import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../lib/logger';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { record } from './support/history';

describe('logs from context.log', () => {
    let fixture: FixtureHost;
    let userLogs: LogRecord[];

    beforeAll(async () => {
        // A real clock: the orchestration's one-second durable timer fires on a real setTimeout.
        fixture = await startFixtureHost();
        await startOrchestration(fixture.host, 'logging', undefined, 'logged');
        await fixture.host.whenIdle();
        for (let waited = 0; record(fixture.host, 'logged').runtimeStatus !== 'Completed' && waited < 200; waited += 1) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            await fixture.host.whenIdle();
        }
        userLogs = fixture.logs.records.filter((entry) => entry.category === 'user');
    });
    afterAll(async () => fixture.host.stop());

    it('runs the orchestration to the end across three episodes', () => {
        // Assess
        expect(record(fixture.host, 'logged').runtimeStatus).toBe('Completed');
    });

    it('writes each orchestrator line once although the orchestrator replayed it', () => {
        // Act
        const lines = userLogs.filter((entry) => entry.functionName === 'logging').map((entry) => entry.message);

        // Assess
        expect(lines).toEqual(['orchestrator started', 'orchestrator got x', 'orchestrator finished']);
    });

    it.each([
        ['the orchestrator', 'logging', 'orchestrator started'],
        ['an activity', 'echo', 'echo activity ran'],
    ])('tags lines from %s with the function name, invocation id and instance id', (_label, functionName, message) => {
        // Act
        const line = userLogs.find((entry) => entry.functionName === functionName && entry.message === message);

        // Assess
        expect(line).toMatchObject({ level: 'info', functionName, instanceId: 'logged', category: 'user' });
        expect(line?.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    });
});
