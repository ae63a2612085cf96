import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogSink } from '../../lib/logger';
import { defaultScenarioPath } from '../../local/cli/cli-args';
import { runDemo } from '../../local/cli/demo';
import { describeFindings, scanForSecrets } from '../support/secret-scan/secret-scan';
import { worldSecrets } from '../support/secret-scan/world-artifacts';
import { CapturedStack } from './support/captured-stack';
import { memoryIo, type MemoryIo } from './support/memory-io';

/** One line of `--verbose`: the host's record, and for a line an activity logged, its JSON message read back. */
type Line = Record<string, unknown>;

/** Every service fails once, transiently, then recovers: Graph and Key Vault (retried inside the activity), the relay and the agent (retried by the orchestration). */
const TRANSIENT_FAULTS = {
    graph: [
        { status: 503, count: 1, match: 'GET /v1.0/servicePrincipals' },
        { status: 503, count: 1, match: 'PATCH' },
    ],
    keyVault: { errors: [{ status: 503, count: 1, match: 'POST' }] },
    relay: { refuseWith503: 1 },
    agent: { restartAfterOperations: [3] },
};

function linesOf(text: string): Line[] {
    return text
        .split('\n')
        .filter((line) => line.startsWith('{"time"'))
        .map((line) => {
            const record = JSON.parse(line) as Line;
            const message = record.message;
            // An activity logs through its invocation: its record is the message, as JSON.
            return typeof message === 'string' && message.startsWith('{') ? { ...record, ...(JSON.parse(message) as Line) } : record;
        });
}

describe('npm run demo -- --verbose in a world where every service fails once and recovers', () => {
    let folder: string;
    let io: MemoryIo;
    let exitCode: number;
    let lines: Line[];
    const captured = new CapturedStack();

    beforeAll(async () => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-verbose-'));
        const scenario = JSON.parse(await readFile(defaultScenarioPath(), 'utf8')) as Record<string, unknown>;
        const path = join(folder, 'transient-everywhere.json');
        await writeFile(path, JSON.stringify({ ...scenario, $schema: undefined, name: 'transient-everywhere', faults: TRANSIENT_FAULTS }));
        io = memoryIo();
        exitCode = await runDemo(['--virtual-clock', '--json', '--verbose', '--scenario', path], io, { startStack: captured.startStack });
        lines = linesOf(io.stderr.text);
    });

    afterAll(async () => {
        await captured.stack?.stop();
        await rm(folder, { recursive: true, force: true });
    });

    it('recovers: the onboarding succeeds', () => {
        expect({ exitCode, tail: exitCode === 0 ? '' : io.stderr.text.slice(-3000) }).toEqual({ exitCode: 0, tail: '' });
    });

    it.each([
        { service: 'graph', operation: expect.stringMatching(/key target|keyCredentials/i) as unknown },
        { service: 'keyVault', operation: expect.any(String) as unknown },
    ])('logs each retry of $service inside the activity with the operation, attempt of, error class and wait', ({ service, operation }) => {
        // Assess
        const retries = lines.filter((line) => line.event === 'Retry' && line.service === service);
        expect(retries.length).toBeGreaterThan(0);
        for (const retry of retries) {
            expect(retry).toMatchObject({ operation, attempt: expect.any(Number) as unknown, of: expect.any(Number) as unknown, errorClass: 'TransientError', errorCode: expect.stringMatching(/^[a-z0-9_-]+$/) as unknown, waitMs: expect.any(Number) as unknown });
        }
    });

    it.each([{ service: 'agent' }])('logs each orchestration retry of $service: the fault with the service, and the retry timer with attempt of and the wait', ({ service }) => {
        // Prepare
        const faults = lines.filter((line) => line.event === 'ActivityFault' && line.service === service);
        const timers = lines.filter((line) => line.event === 'RetryTimerCreated' && typeof line.functionName === 'string' && line.functionName.startsWith(service));

        // Assess
        expect(faults.length).toBeGreaterThan(0);
        // One retry timer per failed attempt: logged when created, never again as the orchestration replays.
        expect(timers).toHaveLength(faults.length);
        for (const fault of faults) {
            expect(fault).toMatchObject({ operation: expect.any(String) as unknown, errorClass: expect.any(String) as unknown, errorCode: expect.stringMatching(/^[a-z0-9_-]+$/) as unknown, of: 8 });
            const timer = timers.find((t) => t.functionName === fault.operation);
            expect(timer).toMatchObject({ attempt: expect.any(Number) as unknown, of: 8, waitMs: 5_000 });
        }
    });

    it('logs the failed attempt as the Durable extension does, before its retry timer', () => {
        // Assess
        const failed = lines.filter((line) => line.event === 'FunctionFailed');
        const timers = lines.filter((line) => line.event === 'RetryTimerCreated');
        expect(timers.length).toBeGreaterThan(0);
        expect(failed).toHaveLength(timers.length);
        for (const timer of timers) expect(failed.some((line) => line.functionName === timer.functionName && line.instanceId === timer.instanceId)).toBe(true);
    });

    it('puts no secret in the verbose output', () => {
        // Prepare
        const known = worldSecrets(captured.world, { logs: new MemoryLogSink(), http: { responses: [] }, pfxPasswords: [] });

        // Act
        const findings = scanForSecrets([{ source: 'demo --verbose stderr', text: io.stderr.text }], known);

        // Assess
        expect(describeFindings(findings)).toBe('');
    });
});
