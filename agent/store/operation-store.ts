import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replyEnvelopeSchema } from '../../lib/protocol';
import { writeFileAtomically } from './write-file-atomically';

export const OPERATION_RESULT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const OPERATION_STORE_FILE = 'operations.json';

const storedOperationSchema = z.object({
    operation: z.string(),
    paramsHash: z.string(),
    completedAtMs: z.number(),
    status: z.number().int(),
    reply: replyEnvelopeSchema,
});

const storeFileSchema = z.object({ version: z.literal(1), operations: z.record(z.string(), storedOperationSchema) });

function parseJsonOrUndefined(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

export type StoredOperation = z.infer<typeof storedOperationSchema>;

/**
 * Finished operations by operation id, so a repeated id gets the stored reply instead of running
 * again. Kept in one JSON file under the data folder, rewritten atomically; entries expire after 24 h.
 */
export class OperationStore {
    private constructor(
        readonly filePath: string,
        private readonly operations: Map<string, StoredOperation>,
        private readonly now: () => number,
        private readonly retentionMs: number,
    ) {}

    static async open(dataFolder: string, options: { now: () => number; retentionMs?: number }): Promise<OperationStore> {
        await mkdir(dataFolder, { recursive: true });
        const filePath = join(dataFolder, OPERATION_STORE_FILE);
        const operations = new Map<string, StoredOperation>();
        const text = await readFile(filePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return undefined;
            throw error;
        });
        if (text !== undefined) {
            // A file that does not parse is dropped: operations are idempotent, so running one again is safe.
            const parsed = storeFileSchema.safeParse(parseJsonOrUndefined(text));
            if (parsed.success) for (const [id, entry] of Object.entries(parsed.data.operations)) operations.set(id, entry);
        }
        const store = new OperationStore(filePath, operations, options.now, options.retentionMs ?? OPERATION_RESULT_RETENTION_MS);
        store.dropExpired();
        return store;
    }

    /** The stored reply for an id, unless it has expired. */
    find(operationId: string): StoredOperation | undefined {
        const entry = this.operations.get(operationId);
        if (entry === undefined || this.isExpired(entry)) return undefined;
        return entry;
    }

    async save(operationId: string, entry: StoredOperation): Promise<void> {
        this.operations.set(operationId, entry);
        this.dropExpired();
        await this.persist();
    }

    private isExpired(entry: StoredOperation): boolean {
        return this.now() - entry.completedAtMs >= this.retentionMs;
    }

    private dropExpired(): void {
        for (const [id, entry] of this.operations) if (this.isExpired(entry)) this.operations.delete(id);
    }

    private writing: Promise<void> = Promise.resolve();

    private persist(): Promise<void> {
        const write = this.writing.then(() =>
            writeFileAtomically(this.filePath, JSON.stringify({ version: 1, operations: Object.fromEntries(this.operations) })),
        );
        this.writing = write.catch(() => undefined);
        return write;
    }
}
