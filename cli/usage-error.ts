/** A bad command line or scenario file: the CLI prints the message and exits 2. */
export class CliUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CliUsageError';
    }
}

/** Runs node:util parseArgs (strict), turning its errors (unknown option, missing value, stray argument) into usage errors. */
export function asUsageErrors<T>(parse: () => T): T {
    try {
        return parse();
    } catch (error) {
        throw new CliUsageError(error instanceof Error ? error.message : String(error));
    }
}

/** An integer option within bounds, or a usage error naming the option. */
export function integerOption(name: string, raw: string, min: number, max: number): number {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    }
    return value;
}
