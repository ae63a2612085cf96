import type { InvocationContext } from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';
import { handler } from '../../activities/agent-restart-health-manager';

// The agent reports each server's restart time; the Durable extension rewrites ISO-8601 strings
// ("…:00.000Z" → "…:00Z"), so the times reach the activity in mixed precision.
vi.mock('../../lib/app-services', () => ({
    appServices: () => ({
        agents: () => ({
            call: () =>
                Promise.resolve({
                    servers: [
                        { server: 'EX1', restarted: true, restartedAt: '2026-01-05T09:00:00Z', error: null },
                        { server: 'EX2', restarted: true, restartedAt: '2026-01-05T09:00:00.5Z', error: null },
                    ],
                }),
        }),
    }),
}));

describe('agentRestartHealthManager', () => {
    it('reports the latest restart as an instant, not the last string in text order', async () => {
        // Act
        const result = await handler({ hybridConnection: 'hc', operationId: 'op', servers: ['EX1', 'EX2'] }, {} as InvocationContext);

        // Assess
        expect(result).toEqual({ ok: true, value: { restartedAt: '2026-01-05T09:00:00.5Z' } });
    });
});
