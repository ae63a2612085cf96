import { describe, expect, it } from 'vitest';
import { agentCallBatches, agentCallBudget, batchStep, serversPerAgentCall } from '../../lib/contracts/agent-call-budget';

const names = (count: number) => Array.from({ length: count }, (_, i) => `EX${i + 1}`);

describe('the agent-call budget', () => {
    it('fits the slow end of a server operation into one script call, with room for its own queries', () => {
        // Act
        const imports = serversPerAgentCall('oneAfterAnother');
        const restarts = serversPerAgentCall('fannedOut');

        // Assess
        expect(imports * agentCallBudget.serverOperationMs).toBeLessThanOrEqual(agentCallBudget.scriptMs * agentCallBudget.usableShare);
        expect(imports).toBe(4);
        expect(restarts).toBe(4 * agentCallBudget.remoteThrottleLimit);
    });

    it('gives each of the agent\'s sessions the imports one script fits: its share of a call stays within the budget', () => {
        // Act
        const perCall = serversPerAgentCall('oneAfterAnother', 4);

        // Assess
        expect(perCall).toBe(16);
        expect(Math.ceil(perCall / 4) * agentCallBudget.serverOperationMs).toBeLessThanOrEqual(agentCallBudget.scriptMs * agentCallBudget.usableShare);
    });

    it.each([
        { work: 'oneAfterAnother', servers: 2, sessions: 1, sizes: [2] },
        { work: 'oneAfterAnother', servers: 10, sessions: 1, sizes: [4, 4, 2] },
        { work: 'oneAfterAnother', servers: 10, sessions: 4, sizes: [10] },
        { work: 'oneAfterAnother', servers: 200, sessions: 4, sizes: [...Array<number>(12).fill(16), 8] },
        { work: 'fannedOut', servers: 200, sessions: 1, sizes: [128, 72] },
        { work: 'fannedOut', servers: 200, sessions: 4, sizes: [128, 72] },
        { work: 'fannedOut', servers: 0, sessions: 1, sizes: [] },
    ] as const)('cuts $servers servers of $work work for an agent of $sessions session(s) into calls of $sizes', ({ work, servers, sessions, sizes }) => {
        // Act
        const batches = agentCallBatches(names(servers), work, sessions);

        // Assess
        expect(batches.map((b) => b.length)).toEqual(sizes);
        expect(batches.flat()).toEqual(names(servers));
    });

    it('keeps the step id when one call is enough, and numbers the batches otherwise', () => {
        expect(batchStep('run:install', 0, 1)).toBe('run:install');
        expect(batchStep('run:install', 1, 3)).toBe('run:install-batch2of3');
    });
});
