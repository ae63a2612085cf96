import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One line of the audit log. The fields are fixed on purpose: no parameters, no results, no error
 * messages (PowerShell binding errors can echo values), so a secret cannot reach the log.
 */
export interface AuditEntry {
    readonly time: string;
    readonly operationId: string | null;
    readonly operation: string | null;
    /** The verdict on the caller: accepted (signed, allowlisted, valid) or rejected. */
    readonly verdict: 'accepted' | 'rejected';
    /** What happened: ran and succeeded or failed, answered from the stored result, still running, or nothing ran. */
    readonly outcome: 'succeeded' | 'failed' | 'stored_result' | 'in_progress' | 'not_run';
    readonly code: string | null;
    readonly status: number;
    readonly durationMs: number;
    /** Set on the line written when an operation that outlived its request finishes. */
    readonly background?: true;
}

export interface AuditSink {
    append(entry: AuditEntry): Promise<void>;
}

/** Append-only JSON lines; appends are serialized so lines never interleave. */
export class JsonLinesAuditLog implements AuditSink {
    private tail: Promise<void> = Promise.resolve();
    private folderReady: Promise<unknown> | undefined;

    constructor(readonly filePath: string) {}

    append(entry: AuditEntry): Promise<void> {
        const line = `${JSON.stringify(entry)}\n`;
        this.folderReady ??= mkdir(dirname(this.filePath), { recursive: true });
        const folderReady = this.folderReady;
        const write = this.tail.then(async () => {
            await folderReady;
            await appendFile(this.filePath, line, { encoding: 'utf8', mode: 0o600 });
        });
        this.tail = write.catch(() => undefined);
        return write;
    }
}

/** Keeps entries in memory: for tests and the simulated demo. */
export class MemoryAuditLog implements AuditSink {
    readonly entries: AuditEntry[] = [];
    append(entry: AuditEntry): Promise<void> {
        this.entries.push(entry);
        return Promise.resolve();
    }
}
