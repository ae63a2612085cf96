import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../agent/audit/audit-log';
import { createAgentRequestHandler } from '../../agent/handler/request-handler';
import { OPERATION_STORE_FILE, OperationStore } from '../../agent/store/operation-store';
import { VirtualClock } from '../../local/clock';
import { PushProxyError } from '../../lib/errors';
import { deferred, ScriptedShell } from './support/scripted-shell';
import { replyJson, SHARED_SECRET, signedRequest } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';

const newFolder = useTempFolders();
const HOUR_MS = 60 * 60 * 1000;

async function agentOn(folder: string, clock: VirtualClock, shell: ScriptedShell, replyWithinMs = 30_000) {
    const store = await OperationStore.open(folder, { now: () => clock.now() });
    const audit = new MemoryAuditLog();
    const handler = createAgentRequestHandler({ sharedSecret: SHARED_SECRET, shell, store, audit, now: () => clock.now(), replyWithinMs });
    return { handler, audit };
}

describe('operation ids', () => {
    it('runs a repeated operation id once and answers the repeat with the stored result', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        const { handler, audit } = await agentOn(await newFolder(), clock, shell);
        const first = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Act
        const repeat = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(shell.calls).toHaveLength(1);
        expect(repeat.status).toBe(200);
        expect(repeat.body.toString()).toBe(first.body.toString());
        expect(audit.entries.map((entry) => entry.outcome)).toEqual(['succeeded', 'stored_result']);
    });

    it('answers a still-running operation id with a transient in_progress error, then with its result', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        const gate = deferred();
        shell.gate = gate.promise;
        const { handler, audit } = await agentOn(await newFolder(), clock, shell, 5);
        const firstReply = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Act
        const whileRunning = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        gate.resolve();
        await handler.whenIdle();
        const afterwards = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(replyJson(firstReply.body).error).toMatchObject({ code: 'in_progress', transient: true });
        expect(whileRunning.status).toBe(409);
        expect(replyJson(whileRunning.body).error).toMatchObject({ code: 'in_progress', transient: true });
        expect(replyJson(afterwards.body).ok).toBe(true);
        expect(shell.calls).toHaveLength(1);
        expect(audit.entries.map((entry) => [entry.outcome, entry.background ?? false])).toEqual([
            ['in_progress', false],
            ['in_progress', false],
            ['succeeded', true],
            ['stored_result', false],
        ]);
    });

    it('keeps stored results across an agent restart', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = new VirtualClock();
        const before = new ScriptedShell();
        await (await agentOn(folder, clock, before)).handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        const after = new ScriptedShell();
        const restarted = await agentOn(folder, clock, after);

        // Act
        const repeat = await restarted.handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(replyJson(repeat.body).ok).toBe(true);
        expect(after.calls).toEqual([]);
        expect(restarted.audit.entries[0]?.outcome).toBe('stored_result');
    });

    it('forgets stored results after 24 hours, so the operation runs again', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        await (await agentOn(folder, clock, shell)).handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        clock.advanceBy(24 * HOUR_MS);
        const restarted = await agentOn(folder, clock, shell);

        // Act
        await restarted.handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(shell.calls).toHaveLength(2);
    });

    it('still answers from the store just before 24 hours', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        const { handler } = await agentOn(await newFolder(), clock, shell);
        await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        clock.advanceBy(24 * HOUR_MS - 1000);

        // Act
        await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(shell.calls).toHaveLength(1);
    });

    it('refuses an operation id reused with other parameters', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        const { handler } = await agentOn(await newFolder(), clock, shell);
        await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/x', operation: 'inventory' }));

        // Act
        const reused = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/x', operation: 'invokeProbe', params: {} }));

        // Assess
        expect(reused.status).toBe(409);
        expect(replyJson(reused.body).error).toMatchObject({ code: 'operation_id_conflict', transient: false });
        expect(shell.calls).toHaveLength(1);
    });

    it('does not store a transient failure: the retry runs the operation again', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        shell.failWith = new PushProxyError('shell_timeout', 'The script did not finish in time.', { transient: true });
        const { handler } = await agentOn(await newFolder(), clock, shell);
        const failed = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        shell.failWith = undefined;

        // Act
        const retried = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(replyJson(failed.body).error).toMatchObject({ code: 'shell_timeout', transient: true });
        expect(replyJson(retried.body).ok).toBe(true);
        expect(shell.calls).toHaveLength(2);
    });

    it('stores a permanent failure: the repeat gets the same failure without running', async () => {
        // Prepare
        const clock = new VirtualClock();
        const shell = new ScriptedShell();
        shell.failWith = new PushProxyError('exchange_failed', 'Set-AuthConfig failed.');
        const { handler } = await agentOn(await newFolder(), clock, shell);
        await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));
        shell.failWith = undefined;

        // Act
        const repeat = await handler(signedRequest({ nowMs: clock.now(), operationId: 'run-1/inventory' }));

        // Assess
        expect(replyJson(repeat.body).error).toMatchObject({ code: 'exchange_failed', transient: false });
        expect(shell.calls).toHaveLength(1);
    });

    it('keeps the store in one journal: no temporary leftovers, one JSON line per operation', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = new VirtualClock();
        const { handler } = await agentOn(folder, clock, new ScriptedShell());

        // Act
        for (let i = 0; i < 5; i += 1) await handler(signedRequest({ nowMs: clock.now(), operationId: `run-1/step-${i}` }));

        // Assess
        expect(await readdir(folder)).toEqual([OPERATION_STORE_FILE]);
        const lines = (await readFile(join(folder, OPERATION_STORE_FILE), 'utf8')).split('\n').filter((line) => line !== '');
        expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([0, 1, 2, 3, 4].map((i) => `run-1/step-${i}`));
    });

    it('starts empty when the store file is damaged', async () => {
        // Prepare
        const folder = await newFolder();
        await writeFile(join(folder, OPERATION_STORE_FILE), '{"version":1,"operations":{"x":');
        const clock = new VirtualClock();

        // Act
        const store = await OperationStore.open(folder, { now: () => clock.now() });

        // Assess
        expect(store.find('x')).toBeUndefined();
    });
});
