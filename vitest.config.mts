import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        pool: 'forks',
        // Most tests wait on sockets, timers and child processes: a worker per core, rather than
        // vitest's default of one fewer (a single worker on a 2-core machine).
        maxWorkers: availableParallelism(),
        testTimeout: 30_000,
        hookTimeout: 60_000,
        restoreMocks: true,
        // Test names built from table rows ($name) are shown whole, not cut at 40 characters.
        chaiConfig: { truncateThreshold: 400 },
    },
});
