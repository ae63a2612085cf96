import { CliUsageError } from './usage-error';

/** A whole number; its range is the API's to check (it answers 400 naming the field). */
export function wholeNumber(option: string, raw: string): number {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value)) throw new CliUsageError(`--${option} must be a whole number, not "${raw}"`);
    return value;
}

/** One of a fixed set of values, or a usage error listing them. */
export function oneOf<const T extends string>(option: string, raw: string, allowed: readonly T[]): T {
    const found = allowed.find((value) => value === raw);
    if (found === undefined) throw new CliUsageError(`--${option} must be one of ${allowed.join(', ')}, not "${raw}"`);
    return found;
}
