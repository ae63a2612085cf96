import { open, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { storedOperationSchema, type StoredOperation, type StoredOperationEntry } from './stored-operation';

const journalLineSchema = z.object({ id: z.string() }).extend(storedOperationSchema.shape);

/** What reading a journal found: the entries in file order, and how many lines could not be read. */
export interface JournalContents {
    readonly entries: readonly StoredOperationEntry[];
    /** Lines that did not parse, including a last line cut short by a crash during an append. */
    readonly unreadableLines: number;
}

export function journalLine(operationId: string, entry: StoredOperation): string {
    return `${JSON.stringify({ id: operationId, ...entry })}\n`;
}

function parseLine(line: string): StoredOperationEntry | undefined {
    let value: unknown;
    try {
        value = JSON.parse(line) as unknown;
    } catch {
        return undefined;
    }
    const parsed = journalLineSchema.safeParse(value);
    if (!parsed.success) return undefined;
    const { id, ...entry } = parsed.data;
    return [id, entry];
}

export function parseJournal(text: string): JournalContents {
    const lines = text.split('\n');
    // Whatever follows the last newline was never acknowledged: an append cut short, or nothing.
    const torn = lines.pop() ?? '';
    const entries: StoredOperationEntry[] = [];
    let unreadableLines = torn === '' ? 0 : 1;
    for (const line of lines) {
        const entry = parseLine(line);
        if (entry === undefined) unreadableLines += 1;
        else entries.push(entry);
    }
    return { entries, unreadableLines };
}

/** The journal's contents, or undefined when there is no journal yet. */
export async function readJournal(path: string): Promise<JournalContents | undefined> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new Error(`Could not read the operation journal ${path}`, { cause: error });
    });
    return text === undefined ? undefined : parseJournal(text);
}

/** Appends lines and flushes them to disk before resolving, so they survive a crash. */
export async function appendToJournal(path: string, lines: string): Promise<void> {
    const handle = await open(path, 'a', 0o600);
    try {
        await handle.writeFile(lines, 'utf8');
        await handle.datasync();
    } finally {
        await handle.close();
    }
}
