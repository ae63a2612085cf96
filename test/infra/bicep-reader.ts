/**
 * A small reader of Bicep text for the infra tests (the Bicep compiler cannot be installed here).
 * It knows comments, the three string forms and bracket nesting, and splits a file into its
 * top-level statements; it does not evaluate expressions. What it cannot read it reports, so a
 * check never passes by not seeing something: see `nestedDeclarations`.
 */

export interface Statement {
    readonly keyword: string;
    /** The statement without its decorators, comments blanked out. */
    readonly text: string;
    /** Decorators as written, e.g. "@secure()". */
    readonly decorators: readonly string[];
    readonly line: number;
    /** Offset of `text` in the comment-free source. */
    readonly offset: number;
}

export interface ParamDeclaration {
    readonly name: string;
    readonly type: string;
    readonly hasDefault: boolean;
    readonly nullable: boolean;
    readonly secure: boolean;
}

export interface ModuleDeclaration {
    readonly symbol: string;
    readonly path: string;
    /** Top-level entries of the `params` object: name to expression text. */
    readonly params: ReadonlyMap<string, string>;
    readonly line: number;
}

export interface ResourceDeclaration {
    readonly symbol: string;
    /** The type without its API version, e.g. "Microsoft.KeyVault/vaults". */
    readonly type: string;
    readonly existing: boolean;
    /** The whole statement text after `=`: object, `if (...) {...}` or `[for ...: {...}]`. */
    readonly body: string;
    /** Top-level entries of the declared object. */
    readonly properties: ReadonlyMap<string, string>;
    /** For `[for x in items: ...]` and `[for (x, i) in items: ...]`: the item name and items. */
    readonly loop: { readonly item: string; readonly items: string } | undefined;
    readonly line: number;
    readonly offset: number;
}

export interface OutputDeclaration {
    readonly name: string;
    readonly value: string;
    readonly line: number;
}

const OPENERS: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };
const STATEMENT_KEYWORDS = new Set(['targetScope', 'param', 'var', 'resource', 'module', 'output', 'type', 'func', 'import', 'metadata', 'extension', 'using']);

/** Index just past the string literal that starts at `start` ('...' or '''...'''). */
function skipString(text: string, start: number): number {
    if (text.startsWith("'''", start)) {
        const end = text.indexOf("'''", start + 3);
        return end < 0 ? text.length : end + 3;
    }
    for (let i = start + 1; i < text.length; i++) {
        if (text[i] === '\\') {
            i++;
        } else if (text[i] === "'") {
            return i + 1;
        }
    }
    return text.length;
}

/** Blanks out // and /* *\/ comments (keeping offsets and line breaks), leaving strings intact. */
export function stripComments(source: string): string {
    let out = '';
    let i = 0;
    while (i < source.length) {
        if (source[i] === "'") {
            const end = skipString(source, i);
            out += source.slice(i, end);
            i = end;
        } else if (source.startsWith('//', i)) {
            const end = source.indexOf('\n', i);
            const stop = end < 0 ? source.length : end;
            out += ' '.repeat(stop - i);
            i = stop;
        } else if (source.startsWith('/*', i)) {
            const end = source.indexOf('*/', i + 2);
            const stop = end < 0 ? source.length : end + 2;
            out += source.slice(i, stop).replace(/[^\n]/g, ' ');
            i = stop;
        } else {
            out += source[i];
            i++;
        }
    }
    return out;
}

/** Index of the bracket that closes the one at `open`, skipping strings. */
export function findClosing(text: string, open: number): number {
    const stack: string[] = [];
    for (let i = open; i < text.length; i++) {
        const ch = text.charAt(i);
        if (ch === "'") {
            i = skipString(text, i) - 1;
        } else if (OPENERS[ch] !== undefined) {
            stack.push(OPENERS[ch]);
        } else if (ch === stack[stack.length - 1]) {
            stack.pop();
            if (stack.length === 0) {
                return i;
            }
        }
    }
    throw new Error(`unbalanced bracket at offset ${open}`);
}

/** End of the expression starting at `start`: the first line break outside brackets and strings. */
function expressionEnd(text: string, start: number, separators: string): number {
    for (let i = start; i < text.length; i++) {
        const ch = text.charAt(i);
        if (ch === "'") {
            i = skipString(text, i) - 1;
        } else if (OPENERS[ch] !== undefined) {
            i = findClosing(text, i);
        } else if (separators.includes(ch)) {
            return i;
        }
    }
    return text.length;
}

function lineAt(text: string, offset: number): number {
    return text.slice(0, offset).split('\n').length;
}

/** Splits a file into its top-level statements, each with the decorators written above it. */
export function readStatements(source: string): Statement[] {
    const text = stripComments(source);
    const statements: Statement[] = [];
    let decorators: string[] = [];
    let i = 0;
    while (i < text.length) {
        const ch = text.charAt(i);
        if (/\s/.test(ch)) {
            i++;
        } else if (ch === '@') {
            const open = text.indexOf('(', i);
            const end = findClosing(text, open) + 1;
            decorators.push(text.slice(i, end));
            i = end;
        } else {
            const end = expressionEnd(text, i, '\n');
            const statementText = text.slice(i, end).trim();
            const keyword = /^\w+/.exec(statementText)?.[0] ?? '';
            if (!STATEMENT_KEYWORDS.has(keyword)) {
                throw new Error(`line ${lineAt(text, i)}: not a Bicep statement: ${statementText.slice(0, 60)}`);
            }
            statements.push({ keyword, text: statementText, decorators, line: lineAt(text, i), offset: i });
            decorators = [];
            i = end;
        }
    }
    return statements;
}

/** Top-level entries of an object literal `{ key: value ... }` (newline- or comma-separated). */
export function objectEntries(objectText: string): Map<string, string> {
    const entries = new Map<string, string>();
    const open = objectText.indexOf('{');
    const close = findClosing(objectText, open);
    let i = open + 1;
    while (i < close) {
        const rest = objectText.slice(i, close);
        const nested = /^\s*resource\s+\w+\s+'/.exec(rest);
        if (nested !== null) {
            // A nested resource is not an entry; nestedDeclarations reports it.
            i = expressionEnd(objectText, i + nested[0].length, '\n');
            continue;
        }
        const key = /^[\s,]*('(?:[^'\\]|\\.)*'|[A-Za-z_]\w*)\s*:/.exec(rest);
        if (key === null) {
            if (rest.trim().replace(/,/g, '') !== '') {
                throw new Error(`cannot read object entry: ${rest.trim().slice(0, 60)}`);
            }
            break;
        }
        const valueStart = i + key[0].length;
        const valueEnd = Math.min(expressionEnd(objectText, valueStart, '\n,'), close);
        const name = key[1]!.startsWith("'") ? key[1]!.slice(1, -1) : key[1]!;
        entries.set(name, objectText.slice(valueStart, valueEnd).trim());
        i = valueEnd;
    }
    return entries;
}

/** Splits `a, f(b, c), 'd, e'` into its top-level parts. */
export function splitArguments(argumentText: string): string[] {
    const parts: string[] = [];
    let start = 0;
    for (let i = 0; i <= argumentText.length; i++) {
        const end = i === argumentText.length ? i : expressionEnd(argumentText, i, ',');
        parts.push(argumentText.slice(start, end).trim());
        start = end + 1;
        i = end;
    }
    return parts.filter((part) => part !== '');
}

/** Elements of an array literal written one per line or comma-separated. */
export function arrayElements(arrayText: string): string[] {
    const open = arrayText.indexOf('[');
    const inner = arrayText.slice(open + 1, findClosing(arrayText, open));
    return splitArguments(inner.replace(/\n/g, ','));
}

export function readParams(statements: readonly Statement[]): ParamDeclaration[] {
    return statements
        .filter((s) => s.keyword === 'param')
        .map((s) => {
            const match = /^param\s+(\w+)\s+([^\s=]+)\s*(=)?/.exec(s.text);
            if (match === null) {
                throw new Error(`line ${s.line}: cannot read param`);
            }
            return {
                name: match[1]!,
                type: match[2]!,
                hasDefault: match[3] !== undefined,
                nullable: match[2]!.endsWith('?'),
                secure: s.decorators.some((d) => /^@(sys\.)?secure\(/.test(d)),
            };
        });
}

export function readModules(statements: readonly Statement[]): ModuleDeclaration[] {
    return statements
        .filter((s) => s.keyword === 'module')
        .map((s) => {
            const match = /^module\s+(\w+)\s+'([^']*)'\s*=/.exec(s.text);
            if (match === null) {
                throw new Error(`line ${s.line}: cannot read module`);
            }
            const body = s.text.slice(match[0].length);
            const params = objectEntries(body.slice(body.indexOf('{'))).get('params');
            return {
                symbol: match[1]!,
                path: match[2]!,
                params: params === undefined ? new Map<string, string>() : objectEntries(params),
                line: s.line,
            };
        });
}

export function readResources(statements: readonly Statement[]): ResourceDeclaration[] {
    return statements
        .filter((s) => s.keyword === 'resource')
        .map((s) => {
            const match = /^resource\s+(\w+)\s+'([^'@]+)@[^']*'\s*(existing\s*)?=/.exec(s.text);
            if (match === null) {
                throw new Error(`line ${s.line}: cannot read resource`);
            }
            const body = s.text.slice(match[0].length).trim();
            const loop = /^\[\s*for\s+(?:\(\s*(\w+)\s*,\s*\w+\s*\)|(\w+))\s+in\s+([^:]+):/.exec(body);
            return {
                symbol: match[1]!,
                type: match[2]!,
                existing: match[3] !== undefined,
                body,
                properties: objectEntries(body.slice(body.indexOf('{'))),
                loop: loop === null ? undefined : { item: (loop[1] ?? loop[2])!, items: loop[3]!.trim() },
                line: s.line,
                offset: s.offset,
            };
        });
}

export function readOutputs(statements: readonly Statement[]): OutputDeclaration[] {
    return statements
        .filter((s) => s.keyword === 'output')
        .map((s) => {
            const match = /^output\s+(\w+)\s+\S+\s*=\s*/.exec(s.text);
            if (match === null) {
                throw new Error(`line ${s.line}: cannot read output`);
            }
            return { name: match[1]!, value: s.text.slice(match[0].length), line: s.line };
        });
}

/** Lines inside a statement that declare another resource or module: this reader does not follow them. */
export function nestedDeclarations(statements: readonly Statement[]): string[] {
    return statements.flatMap((s) =>
        s.text
            .split('\n')
            .slice(1)
            .filter((line) => /^\s*(resource|module)\s+\w+\s+'/.test(line))
            .map((line) => `line ${s.line}: nested declaration "${line.trim()}"`),
    );
}
