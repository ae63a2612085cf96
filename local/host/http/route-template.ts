import { LocalHostError } from '../errors';

/**
 * ASP.NET-style route templates as used by HTTP triggers: literal segments, `{name}`, optional
 * `{name?}`, defaults `{name=value}`, constraints `{id:int}` (int, long, alpha, bool, guid) and a
 * trailing catch-all `{*rest}`. Matching is case-insensitive and values are URL-decoded.
 */
export interface RouteTemplate {
    readonly template: string;
    /** Lower sorts first: literal segments before parameters, catch-alls last. */
    readonly precedence: readonly number[];
    match(path: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, string> = {
    int: '-?\\d+',
    long: '-?\\d+',
    alpha: '[A-Za-z]+',
    bool: '(?:true|false)',
    guid: '[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}',
};

interface Parameter {
    readonly name: string;
    readonly optional: boolean;
    readonly catchAll: boolean;
    readonly pattern: string;
    readonly defaultValue: string | undefined;
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseParameter(template: string, body: string): Parameter {
    const catchAll = body.startsWith('*');
    let rest = catchAll ? body.slice(1) : body;
    let defaultValue: string | undefined;
    const equals = rest.indexOf('=');
    if (equals >= 0) {
        defaultValue = rest.slice(equals + 1);
        rest = rest.slice(0, equals);
    }
    const optional = rest.endsWith('?');
    if (optional) rest = rest.slice(0, -1);
    const [name, ...constraints] = rest.split(':');
    if (!name) throw new LocalHostError('route', `Route template "${template}" has an unnamed parameter.`);
    let pattern = catchAll ? '.*' : '[^/]+';
    for (const constraint of constraints) {
        const known = CONSTRAINTS[constraint.toLowerCase()];
        if (!known) throw new LocalHostError('route', `Route template "${template}" uses the constraint "${constraint}", which the local host does not support.`);
        pattern = known;
    }
    return { name, optional: optional || defaultValue !== undefined, catchAll, pattern, defaultValue };
}

/** UTF-8 length announced by a lead byte; 1 for a byte that cannot start a sequence. */
function sequenceLength(lead: number): number {
    if (lead >= 0xf0) return 4;
    if (lead >= 0xe0) return 3;
    return lead >= 0xc0 ? 2 : 1;
}

/**
 * Percent-decodes a route value as Kestrel's URL decoder does: a sequence that is not valid UTF-8
 * ("%E9", "%ED%A0%80") or not an escape at all ("%", "%zz") stays as it was sent instead of
 * failing the request, and the function sees it.
 */
function decodeRouteValue(raw: string): string {
    return raw.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
        const escapes = run.match(/%[0-9A-Fa-f]{2}/g) ?? [];
        let decoded = '';
        let index = 0;
        while (index < escapes.length) {
            const length = sequenceLength(Number.parseInt((escapes[index] ?? '%00').slice(1), 16));
            try {
                decoded += decodeURIComponent(escapes.slice(index, index + length).join(''));
                index += length;
            } catch {
                decoded += escapes[index] ?? '';
                index += 1;
            }
        }
        return decoded;
    });
}

export function compileRouteTemplate(template: string): RouteTemplate {
    const trimmed = template.replace(/^\/+|\/+$/g, '');
    const parameters: Parameter[] = [];
    const precedence: number[] = [];
    let regex = '^';
    for (const segment of trimmed.length === 0 ? [] : trimmed.split('/')) {
        const whole = /^\{([^{}]+)\}$/.exec(segment);
        if (whole) {
            const parameter = parseParameter(template, whole[1] as string);
            parameters.push(parameter);
            precedence.push(parameter.catchAll ? 5 : parameter.optional ? 4 : parameter.pattern === '[^/]+' ? 3 : 2);
            regex += parameter.optional || parameter.catchAll ? `(?:/(${parameter.pattern}))?` : `/(${parameter.pattern})`;
            continue;
        }
        precedence.push(segment.includes('{') ? 2 : 1);
        let segmentRegex = '';
        let last = 0;
        for (const inner of segment.matchAll(/\{([^{}]+)\}/g)) {
            segmentRegex += escapeRegex(segment.slice(last, inner.index));
            const parameter = parseParameter(template, inner[1] as string);
            parameters.push(parameter);
            segmentRegex += `(${parameter.pattern === '[^/]+' ? '[^/]+?' : parameter.pattern})`;
            last = (inner.index ?? 0) + inner[0].length;
        }
        regex += `/${segmentRegex}${escapeRegex(segment.slice(last))}`;
    }
    const compiled = new RegExp(`${regex}/?$`, 'i');
    return {
        template,
        precedence,
        match(path) {
            const found = compiled.exec(path.length === 0 || path === '/' ? '' : path.startsWith('/') ? path : `/${path}`);
            if (!found) return undefined;
            const values: Record<string, string> = {};
            parameters.forEach((parameter, index) => {
                const raw = found[index + 1];
                const value = raw === undefined ? parameter.defaultValue : decodeRouteValue(raw);
                if (value !== undefined) values[parameter.name] = value;
            });
            return values;
        },
    };
}

/**
 * The order the Functions host tries routes in (RouteComparison in Azure/azure-webjobs-sdk-extensions,
 * src/WebJobs.Extensions.Http/Routing/WebJobsRouteBuilder.cs): segment by segment, a literal before a
 * parameter and a constrained parameter before a plain one; where one template is the other plus
 * more segments, the longer first. The host leaves a plain parameter, an optional one and a catch-all
 * unordered among themselves (an unstable sort); here the catch-all goes last, one order it can give.
 */
export function comparePrecedence(a: RouteTemplate, b: RouteTemplate): number {
    const length = Math.max(a.precedence.length, b.precedence.length);
    for (let index = 0; index < length; index += 1) {
        const [left, right] = [a.precedence[index], b.precedence[index]];
        if (left === undefined || right === undefined) return left === undefined ? 1 : -1;
        if (left !== right) return left - right;
    }
    return 0;
}
