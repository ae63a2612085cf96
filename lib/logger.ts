import { AsyncLocalStorage } from 'node:async_hooks';
import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
    readonly time: string;
    readonly level: LogLevel;
    readonly message: string;
    readonly [field: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

const stdoutSink: LogSink = (record) => {
    process.stdout.write(`${JSON.stringify(record)}\n`);
};

/**
 * The one structured logger: JSON records, fixed fields carried by child loggers, every field
 * passed through `redact` so a secret cannot reach a log by accident.
 */
export class Logger {
    constructor(
        private readonly fields: Readonly<Record<string, unknown>> = {},
        private readonly sink: LogSink = stdoutSink,
        private readonly minLevel: LogLevel = 'info',
    ) {}

    child(fields: Record<string, unknown>): Logger {
        return new Logger({ ...this.fields, ...fields }, this.sink, this.minLevel);
    }

    debug(message: string, fields: Record<string, unknown> = {}): void {
        this.write('debug', message, fields);
    }

    info(message: string, fields: Record<string, unknown> = {}): void {
        this.write('info', message, fields);
    }

    warn(message: string, fields: Record<string, unknown> = {}): void {
        this.write('warn', message, fields);
    }

    error(message: string, fields: Record<string, unknown> = {}): void {
        this.write('error', message, fields);
    }

    private write(level: LogLevel, message: string, fields: Record<string, unknown>): void {
        if (LEVEL_ORDER[level] < LEVEL_ORDER[this.minLevel]) return;
        const safe = redact({ ...this.fields, ...fields }) as Record<string, unknown>;
        this.sink({ time: new Date().toISOString(), level, message: redact(message) as string, ...safe });
    }
}

/** Collects records in memory: for tests and for the secret scan. */
export class MemoryLogSink {
    readonly records: LogRecord[] = [];
    readonly sink: LogSink = (record) => {
        this.records.push(record);
    };
}

export const silentSink: LogSink = () => undefined;

const invocationLogger = new AsyncLocalStorage<Logger>();

/**
 * Runs `work` with `logger` as the logger of this invocation: clients built once per worker (Key
 * Vault, Graph, the relay sender) log their retries to the invocation that made the call.
 */
export function withInvocationLogger<T>(logger: Logger, work: () => T): T {
    return invocationLogger.run(logger, work);
}

/** The logger of the invocation this code runs in, if any. */
export function currentInvocationLogger(): Logger | undefined {
    return invocationLogger.getStore();
}
