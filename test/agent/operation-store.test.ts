import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEGACY_OPERATION_STORE_FILE, OPERATION_RESULT_RETENTION_MS, OPERATION_STORE_FILE, OperationStore, type CompactionPolicy, type StoredOperation } from '../../agent/store/operation-store';
import { useTempFolders } from './support/temp-folder';

const newFolder = useTempFolders();
const START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR_MS = 60 * 60 * 1000;

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
    let current = START_MS;
    return { now: () => current, advance: (ms) => void (current += ms) };
}

function stored(completedAtMs: number, result: unknown = { done: true }, operation = 'inventory'): StoredOperation {
    return { operation, paramsHash: `hash-of-${operation}`, completedAtMs, status: 200, reply: { ok: true, result } };
}

async function journalLines(folder: string): Promise<{ id: string; reply: unknown }[]> {
    const text = await readFile(join(folder, OPERATION_STORE_FILE), 'utf8');
    return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { id: string; reply: unknown });
}

describe('operation store', () => {
    it('has every saved result on disk when save resolves, and finds them after a reopen', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });

        // Act
        await store.save('run-1/inventory', stored(clock.now(), { servers: 2 }));
        await store.save('run-1/enable', stored(clock.now(), { enabled: true }, 'enablePushProxy'));
        const onDisk = await journalLines(folder);
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(onDisk.map((line) => line.id)).toEqual(['run-1/inventory', 'run-1/enable']);
        expect(reopened.find('run-1/inventory')).toEqual(stored(START_MS, { servers: 2 }));
        expect(reopened.find('run-1/enable')).toEqual(stored(START_MS, { enabled: true }, 'enablePushProxy'));
        expect(reopened.find('run-1/other')).toBeUndefined();
    });

    it('keeps the last result saved for an id', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });
        await store.save('run-1/inventory', stored(clock.now(), { attempt: 1 }));

        // Act
        await store.save('run-1/inventory', stored(clock.now(), { attempt: 2 }));
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(store.find('run-1/inventory')?.reply).toEqual({ ok: true, result: { attempt: 2 } });
        expect(reopened.find('run-1/inventory')?.reply).toEqual({ ok: true, result: { attempt: 2 } });
    });

    it.each([
        ['half a line', '{"id":"run-1/torn","operation":"inv'],
        ['a whole line without its newline', JSON.stringify({ id: 'run-1/torn', ...stored(START_MS) })],
        ['bytes that are not JSON', '\u0000\u0000\u0000'],
    ])('ignores a torn last line (%s) and appends cleanly after it', async (_case, tail) => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });
        await store.save('run-1/kept', stored(clock.now()));
        await appendFile(join(folder, OPERATION_STORE_FILE), tail);

        // Act
        const afterCrash = await OperationStore.open(folder, { now: clock.now });
        await afterCrash.save('run-1/after', stored(clock.now()));
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(afterCrash.find('run-1/torn')).toBeUndefined();
        expect(reopened.find('run-1/kept')).toBeDefined();
        expect(reopened.find('run-1/after')).toBeDefined();
        expect((await journalLines(folder)).map((line) => line.id)).toEqual(['run-1/kept', 'run-1/after']);
    });

    it.each([
        { age: 'just saved', ageMs: 0, found: true },
        { age: 'a millisecond short of 24 h old', ageMs: OPERATION_RESULT_RETENTION_MS - 1, found: true },
        { age: '24 h old', ageMs: OPERATION_RESULT_RETENTION_MS, found: false },
        { age: '25 h old', ageMs: OPERATION_RESULT_RETENTION_MS + HOUR_MS, found: false },
    ])('finds a result $age: $found (also after a reopen)', async ({ ageMs, found }) => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });
        await store.save('run-1/inventory', stored(clock.now()));

        // Act
        clock.advance(ageMs);
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(store.find('run-1/inventory') !== undefined).toBe(found);
        expect(reopened.find('run-1/inventory') !== undefined).toBe(found);
    });

    it('drops expired and replaced lines from the journal when it opens', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });
        await store.save('old', stored(clock.now()));
        clock.advance(2 * HOUR_MS);
        await store.save('replaced', stored(clock.now(), { attempt: 1 }));
        await store.save('replaced', stored(clock.now(), { attempt: 2 }));
        await store.save('kept', stored(clock.now()));
        clock.advance(OPERATION_RESULT_RETENTION_MS - HOUR_MS);

        // Act
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(await journalLines(folder)).toEqual([
            expect.objectContaining({ id: 'replaced', reply: { ok: true, result: { attempt: 2 } } }),
            expect.objectContaining({ id: 'kept' }),
        ]);
        expect(reopened.find('old')).toBeUndefined();
        expect(reopened.find('replaced')?.reply).toEqual({ ok: true, result: { attempt: 2 } });
    });

    it.each<{ policy: CompactionPolicy; saves: number; maxLines: number }>([
        { policy: { deadPerLiveLine: 1, minDeadLines: 1 }, saves: 20, maxLines: 6 },
        { policy: { deadPerLiveLine: 2, minDeadLines: 5 }, saves: 40, maxLines: 9 },
    ])('rewrites the journal with only live entries once dead lines dominate ($policy)', async ({ policy, saves, maxLines }) => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now, compaction: policy });
        const ids = ['a', 'b', 'c'];

        // Act
        for (let i = 0; i < saves; i += 1) await store.save(ids[i % ids.length] as string, stored(clock.now(), { attempt: i }));
        const lines = await journalLines(folder);
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(lines.length).toBeLessThanOrEqual(maxLines);
        expect(new Set(lines.map((line) => line.id))).toEqual(new Set(ids));
        const lastAttempt = (k: number): number => saves - 1 - ((saves - 1 - k) % ids.length);
        expect(ids.map((id) => reopened.find(id)?.reply)).toEqual(ids.map((_, k) => ({ ok: true, result: { attempt: lastAttempt(k) } })));
        expect(await readdir(folder)).toEqual([OPERATION_STORE_FILE]);
    });

    it('counts expired entries as dead lines while it runs', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now, compaction: { deadPerLiveLine: 1, minDeadLines: 1 } });
        for (const id of ['x1', 'x2', 'x3']) await store.save(id, stored(clock.now()));
        clock.advance(OPERATION_RESULT_RETENTION_MS);

        // Act
        await store.save('fresh', stored(clock.now()));

        // Assess
        expect((await journalLines(folder)).map((line) => line.id)).toEqual(['fresh']);
    });

    it('moves the entries of an old operations.json into the journal and removes the old file', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const operations = {
            'run-0/expired': stored(START_MS - OPERATION_RESULT_RETENTION_MS),
            'run-1/inventory': stored(START_MS - HOUR_MS, { servers: 2 }),
            'run-1/enable': stored(START_MS, { enabled: true }, 'enablePushProxy'),
        };
        await writeFile(join(folder, LEGACY_OPERATION_STORE_FILE), JSON.stringify({ version: 1, operations }));

        // Act
        const store = await OperationStore.open(folder, { now: clock.now });
        await store.save('run-2/inventory', stored(clock.now()));
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(await readdir(folder)).toEqual([OPERATION_STORE_FILE]);
        expect(reopened.find('run-0/expired')).toBeUndefined();
        expect(reopened.find('run-1/inventory')).toEqual(operations['run-1/inventory']);
        expect(reopened.find('run-1/enable')).toEqual(operations['run-1/enable']);
        expect(reopened.find('run-2/inventory')).toBeDefined();
    });

    it.each([
        ['a damaged old file', '{"version":1,"operations":{"x":', undefined],
        ['an old file beside a journal that has a newer result for the same id', JSON.stringify({ version: 1, operations: { x: stored(START_MS, { from: 'old file' }) } }), { from: 'journal' }],
    ])('opens %s', async (_case, legacyText, journalResult) => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        if (journalResult !== undefined) await (await OperationStore.open(folder, { now: clock.now })).save('x', stored(clock.now(), journalResult));
        await writeFile(join(folder, LEGACY_OPERATION_STORE_FILE), legacyText);

        // Act
        const store = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(store.find('x')?.reply).toEqual(journalResult === undefined ? undefined : { ok: true, result: journalResult });
        expect(await readdir(folder)).toEqual([OPERATION_STORE_FILE]);
    });

    it('persists every one of many concurrent saves', async () => {
        // Prepare
        const folder = await newFolder();
        const clock = manualClock();
        const store = await OperationStore.open(folder, { now: clock.now });
        const ids = Array.from({ length: 100 }, (_, i) => `run-1/op-${i}`);

        // Act
        await Promise.all(ids.map((id, i) => store.save(id, stored(clock.now(), { i }))));
        const reopened = await OperationStore.open(folder, { now: clock.now });

        // Assess
        expect(ids.filter((id) => reopened.find(id) === undefined)).toEqual([]);
        expect(ids.map((id) => reopened.find(id)?.reply)).toEqual(ids.map((_, i) => ({ ok: true, result: { i } })));
        expect(await journalLines(folder)).toHaveLength(ids.length);
    });
});
