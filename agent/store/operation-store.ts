import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LEGACY_OPERATION_STORE_FILE, readLegacyOperationFile } from './legacy-operation-file';
import { appendToJournal, journalLine, readJournal } from './operation-journal';
import type { StoredOperation } from './stored-operation';
import { WriteBatcher } from './write-batcher';
import { writeFileAtomically } from './write-file-atomically';

export { LEGACY_OPERATION_STORE_FILE } from './legacy-operation-file';
export type { StoredOperation } from './stored-operation';

export const OPERATION_RESULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** The journal: one JSON line per saved operation, the last line for an id winning. */
export const OPERATION_STORE_FILE = 'operations.jsonl';

/** When the journal is rewritten with only its live entries while the agent runs. */
export interface CompactionPolicy {
    /** Dead lines (expired, replaced or unreadable) must outnumber the live ones this many times... */
    readonly deadPerLiveLine: number;
    /** ...and be at least this many, so that a small journal is not rewritten over and over. */
    readonly minDeadLines: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { deadPerLiveLine: 2, minDeadLines: 1000 };

export interface OperationStoreOptions {
    readonly now: () => number;
    readonly retentionMs?: number;
    readonly compaction?: CompactionPolicy;
}

/**
 * Finished operations by operation id, so a repeated id gets the stored reply instead of running
 * again; entries expire after 24 h. Each save appends one line to a journal in the data folder and
 * flushes it to disk before it resolves (concurrent saves share a flush). Open reads the journal
 * back and rewrites it atomically when it holds dead lines, as a save does once they dominate.
 */
export class OperationStore {
    private readonly writes = new WriteBatcher<string>((lines) => this.write(lines));
    /** Lines in the journal file, live or dead. */
    private journalLines: number;
    /** Set when a write failed: an append may have left part of a line, so the next write rewrites the journal. */
    private rewriteNeeded = false;

    private constructor(
        readonly filePath: string,
        private readonly operations: Map<string, StoredOperation>,
        journalLines: number,
        private readonly now: () => number,
        private readonly retentionMs: number,
        private readonly compaction: CompactionPolicy,
    ) {
        this.journalLines = journalLines;
    }

    static async open(dataFolder: string, options: OperationStoreOptions): Promise<OperationStore> {
        await mkdir(dataFolder, { recursive: true });
        const filePath = join(dataFolder, OPERATION_STORE_FILE);
        const legacyPath = join(dataFolder, LEGACY_OPERATION_STORE_FILE);
        const legacy = await readLegacyOperationFile(legacyPath);
        const journal = await readJournal(filePath);
        const operations = new Map<string, StoredOperation>();
        // The old file predates the journal, so the journal's lines win; deleting first keeps save order.
        for (const [id, entry] of [...(legacy ?? []), ...(journal?.entries ?? [])]) {
            operations.delete(id);
            operations.set(id, entry);
        }
        const journalLines = (journal?.entries.length ?? 0) + (journal?.unreadableLines ?? 0);
        const store = new OperationStore(filePath, operations, journalLines, options.now, options.retentionMs ?? OPERATION_RESULT_RETENTION_MS, options.compaction ?? DEFAULT_COMPACTION);
        store.dropExpired();
        // Also drops a torn last line, which the next append would otherwise run into.
        if (legacy !== undefined || store.journalLines > store.operations.size) await store.compact();
        if (legacy !== undefined) {
            await rm(legacyPath, { force: true }).catch((error: unknown) => {
                throw new Error(`Could not remove the old operation store ${legacyPath} after moving its entries to ${filePath}`, { cause: error });
            });
        }
        return store;
    }

    /** The stored reply for an id, unless it has expired. */
    find(operationId: string): StoredOperation | undefined {
        const entry = this.operations.get(operationId);
        if (entry === undefined || this.isExpired(entry)) return undefined;
        return entry;
    }

    /** Resolves once the entry is on disk. */
    save(operationId: string, entry: StoredOperation): Promise<void> {
        this.operations.delete(operationId);
        this.operations.set(operationId, entry);
        this.dropOldestExpired();
        return this.writes.write(journalLine(operationId, entry));
    }

    private isExpired(entry: StoredOperation): boolean {
        return this.now() - entry.completedAtMs >= this.retentionMs;
    }

    private dropExpired(): void {
        for (const [id, entry] of this.operations) if (this.isExpired(entry)) this.operations.delete(id);
    }

    /** Entries are kept in the order they were saved, so the expired ones come first. */
    private dropOldestExpired(): void {
        for (const [id, entry] of this.operations) {
            if (!this.isExpired(entry)) return;
            this.operations.delete(id);
        }
    }

    private tooManyDeadLines(incomingLines: number): boolean {
        const dead = this.journalLines + incomingLines - this.operations.size;
        return dead >= this.compaction.minDeadLines && dead > this.compaction.deadPerLiveLine * this.operations.size;
    }

    /** Called by the batcher as soon as it takes a batch: every entry of the batch is already in the map. */
    private async write(lines: readonly string[]): Promise<void> {
        try {
            if (this.rewriteNeeded || this.tooManyDeadLines(lines.length)) {
                await this.compact();
            } else {
                await appendToJournal(this.filePath, lines.join(''));
                this.journalLines += lines.length;
            }
        } catch (error) {
            this.rewriteNeeded = true;
            throw new Error(`Could not store operation results in ${this.filePath}`, { cause: error });
        }
    }

    /** Rewrites the journal with the live entries; they are read synchronously, before the first await. */
    private async compact(): Promise<void> {
        this.dropExpired();
        const lines = [...this.operations].map(([id, entry]) => journalLine(id, entry));
        await writeFileAtomically(this.filePath, lines.join(''));
        this.journalLines = lines.length;
        this.rewriteNeeded = false;
    }
}
