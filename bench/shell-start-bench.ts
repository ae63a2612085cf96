import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PowerShellExchangeShell } from '../agent/shell/powershell-exchange-shell';
import { atLeast, figure, type BenchmarkReport } from './model/results';
import { repoRoot } from './support/repo-root';

/** A shell on the Node stand-in of the PowerShell host that takes `startDelayMs` to load, as Exchange's cmdlets do. */
function standInShell(startDelayMs: number): PowerShellExchangeShell {
    return new PowerShellExchangeShell({
        connection: { mode: 'snapIn' },
        command: process.execPath,
        args: [join(repoRoot(), 'test', 'agent', 'fixtures', 'fake-powershell-host.mjs')],
        env: { ...process.env, STAND_IN_START_DELAY_MS: String(startDelayMs) },
        startTimeoutMs: 60_000,
        callTimeoutMs: 60_000,
    });
}

async function operation(shell: PowerShellExchangeShell, index: number): Promise<void> {
    await shell.invokeProbe({ server: `EX${index}` });
}

async function timed(run: () => Promise<void>): Promise<number> {
    const started = performance.now();
    await run();
    return performance.now() - started;
}

/**
 * B4, second half: `operations` operations on one persistent PowerShellExchangeShell against a new
 * shell (a new host process, loading again) per operation, with a host that takes 2 s to start.
 */
export async function shellStartBench(operations: number, startDelayMs: number): Promise<BenchmarkReport> {
    const persistentMs = await timed(async () => {
        const shell = standInShell(startDelayMs);
        try {
            for (let i = 0; i < operations; i++) await operation(shell, i);
        } finally {
            await shell.close();
        }
    });
    const perCallMs = await timed(async () => {
        for (let i = 0; i < operations; i++) {
            const shell = standInShell(startDelayMs);
            try {
                await operation(shell, i);
            } finally {
                await shell.close();
            }
        }
    });
    return {
        figures: [
            figure('B4.persistentShellMs', `${operations} operations, persistent shell`, persistentMs, 'ms'),
            figure('B4.processPerCallMs', `${operations} operations, a process per call`, perCallMs, 'ms'),
            figure('B4.shellSpeedup', 'persistent shell speed-up', perCallMs / persistentMs, 'ratio', atLeast(5)),
        ],
        notes: [
            `PowerShellExchangeShell over JSON lines to test/agent/fixtures/fake-powershell-host.mjs (Node) with STAND_IN_START_DELAY_MS=${startDelayMs}; each operation is one invokeProbe script run; times include start-up and close`,
        ],
    };
}
