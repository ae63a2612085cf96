/**
 * One base error for the product. Every error says what went wrong, whether retrying can help
 * (`transient`), and, where it helps, what the administrator should do (`remedy`).
 * Messages never contain secrets: callers pass identifiers, never key material.
 */
export interface ErrorDetails {
    readonly code: string;
    readonly message: string;
    readonly transient: boolean;
    readonly remedy?: string;
}

export class PushProxyError extends Error {
    readonly code: string;
    readonly transient: boolean;
    readonly remedy: string | undefined;

    constructor(code: string, message: string, options: { transient?: boolean; remedy?: string; cause?: unknown } = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.code = code;
        this.transient = options.transient ?? false;
        this.remedy = options.remedy;
    }

    toDetails(): ErrorDetails {
        return {
            code: this.code,
            message: this.message,
            transient: this.transient,
            ...(this.remedy === undefined ? {} : { remedy: this.remedy }),
        };
    }
}

/** A setting is missing or invalid; names the setting. */
export class ConfigurationError extends PushProxyError {
    constructor(message: string, options: { remedy?: string; cause?: unknown } = {}) {
        super('configuration', message, { ...options, transient: false });
    }
}

/** Input from a caller failed validation; `issues` name each field and its reason. */
export class ValidationError extends PushProxyError {
    readonly issues: readonly { field: string; reason: string }[];

    constructor(issues: readonly { field: string; reason: string }[]) {
        super('validation', issues.map((i) => `${i.field}: ${i.reason}`).join('; '), { transient: false });
        this.issues = issues;
    }
}

/** A call to a dependency failed in a way that retrying may fix (throttling, 5xx, timeouts). */
export class TransientError extends PushProxyError {
    readonly retryAfterMs: number | undefined;

    constructor(code: string, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
        super(code, message, { transient: true, cause: options.cause });
        this.retryAfterMs = options.retryAfterMs;
    }
}

/** A call failed for good: missing permission, missing object, unsupported state. */
export class PermanentError extends PushProxyError {
    constructor(code: string, message: string, options: { remedy?: string; cause?: unknown } = {}) {
        super(code, message, { ...options, transient: false });
    }
}

export function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
