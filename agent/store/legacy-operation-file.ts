import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { storedOperationSchema, type StoredOperationEntry } from './stored-operation';

/** The single JSON file agents kept their stored operations in before the journal. */
export const LEGACY_OPERATION_STORE_FILE = 'operations.json';

const legacyFileSchema = z.object({ version: z.literal(1), operations: z.record(z.string(), storedOperationSchema) });

function parseJsonOrUndefined(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/**
 * The entries of an old-format store file, oldest first, or undefined when there is none. A file
 * that does not parse yields no entries: operations are idempotent, so running one again is safe.
 */
export async function readLegacyOperationFile(path: string): Promise<StoredOperationEntry[] | undefined> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new Error(`Could not read the old operation store ${path}`, { cause: error });
    });
    if (text === undefined) return undefined;
    const parsed = legacyFileSchema.safeParse(parseJsonOrUndefined(text));
    if (!parsed.success) return [];
    return Object.entries(parsed.data.operations).sort(([, a], [, b]) => a.completedAtMs - b.completedAtMs);
}
