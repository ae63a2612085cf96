import { LocalHostError } from '../errors';

/** A timer trigger schedule: the first occurrence strictly after a time (UTC, milliseconds). */
export interface Schedule {
    readonly expression: string;
    next(after: number): number;
}

interface Field {
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const SECOND: Field = { min: 0, max: 59 };
const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DAY: Field = { min: 1, max: 31 };
const MONTH: Field = { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
const WEEKDAY: Field = { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };

const SECOND_MS = 1000;
const DAY_MS = 24 * 3600 * SECOND_MS;
const SEARCH_LIMIT_MS = 5 * 366 * DAY_MS;

function invalid(expression: string, detail: string): LocalHostError {
    return new LocalHostError('schedule', `Invalid timer schedule "${expression}": ${detail}.`);
}

function value(expression: string, field: Field, text: string): number {
    const upper = text.toUpperCase();
    const named = field.names?.indexOf(upper.slice(0, 3)) ?? -1;
    const parsed = named >= 0 && /^[A-Z]+$/.test(upper) ? named + field.min : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    // NCRONTAB accepts 7 for Sunday as well as 0.
    const normalized = field === WEEKDAY && parsed === 7 ? 0 : parsed;
    if (Number.isNaN(normalized) || normalized < field.min || normalized > field.max) throw invalid(expression, `"${text}" is outside ${field.min}-${field.max}`);
    return normalized;
}

function parseField(expression: string, text: string, field: Field): ReadonlySet<number> {
    const allowed = new Set<number>();
    for (const part of text.split(',')) {
        const [range, stepText] = part.split('/');
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!range || !Number.isInteger(step) || step < 1) throw invalid(expression, `bad step in "${part}"`);
        let from: number;
        let to: number;
        if (range === '*') {
            from = field.min;
            to = field.max;
        } else if (range.includes('-')) {
            const [a, b] = range.split('-');
            from = value(expression, field, a ?? '');
            to = value(expression, field, b ?? '');
        } else {
            from = value(expression, field, range);
            to = stepText === undefined ? from : field.max;
        }
        if (from > to) throw invalid(expression, `range "${range}" runs backwards`);
        for (let current = from; current <= to; current += step) allowed.add(current);
    }
    return allowed;
}

function cronSchedule(expression: string, parts: readonly string[]): Schedule {
    const [second, minute, hour, day, month, weekday] = parts.length === 6 ? parts : ['0', ...parts];
    const seconds = parseField(expression, second ?? '', SECOND);
    const minutes = parseField(expression, minute ?? '', MINUTE);
    const hours = parseField(expression, hour ?? '', HOUR);
    const days = parseField(expression, day ?? '', DAY);
    const months = parseField(expression, month ?? '', MONTH);
    const weekdays = parseField(expression, weekday ?? '', WEEKDAY);
    return {
        expression,
        next(after) {
            const limit = after + SEARCH_LIMIT_MS;
            let t = Math.floor(after / SECOND_MS) * SECOND_MS + SECOND_MS;
            while (t <= limit) {
                const date = new Date(t);
                if (!months.has(date.getUTCMonth() + 1)) {
                    t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
                } else if (!days.has(date.getUTCDate()) || !weekdays.has(date.getUTCDay())) {
                    // NCRONTAB requires both the day of month and the day of week to match.
                    t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
                } else if (!hours.has(date.getUTCHours())) {
                    t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours() + 1);
                } else if (!minutes.has(date.getUTCMinutes())) {
                    t = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes() + 1);
                } else if (!seconds.has(date.getUTCSeconds())) {
                    t += SECOND_MS;
                } else {
                    return t;
                }
            }
            throw invalid(expression, 'it never occurs');
        },
    };
}

/** A TimeSpan schedule ("hh:mm:ss" or "d.hh:mm:ss"): every interval. */
function intervalSchedule(expression: string): Schedule | undefined {
    const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expression);
    if (!match) return undefined;
    const [, days, hours, minutes, seconds] = match;
    const interval = ((Number(days ?? 0) * 24 + Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * SECOND_MS;
    if (interval <= 0) throw invalid(expression, 'the interval must be positive');
    return { expression, next: (after) => after + interval };
}

/** Parses an NCRONTAB expression (six fields, seconds first; five are accepted too) or a TimeSpan. */
export function parseSchedule(expression: string): Schedule {
    const trimmed = expression.trim();
    const interval = intervalSchedule(trimmed);
    if (interval) return interval;
    const parts = trimmed.split(/\s+/);
    if (parts.length !== 6 && parts.length !== 5) throw invalid(expression, `expected 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}), got ${parts.length}`);
    return cronSchedule(expression, parts);
}

/** `%Name%` schedules come from app settings, as on the real host. */
export function resolveScheduleSetting(expression: string, env: NodeJS.ProcessEnv): string {
    const match = /^%([^%]+)%$/.exec(expression.trim());
    if (!match) return expression;
    const value = env[match[1] as string];
    if (value === undefined) throw new LocalHostError('schedule', `The timer schedule refers to the app setting "${match[1]}", which is not set.`);
    return value;
}
