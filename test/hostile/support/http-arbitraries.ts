import fc from 'fast-check';

/**
 * Generators of hostile HTTP input for the API. Every generated request is invalid by
 * construction, judged against the API contract (README, OpenAPI) rather than the product's own
 * validators, and carries the field a clear 400 must name.
 */

/** A body as sent, with the field the answer must name ("body" for a body that is not a JSON object at all). */
export interface HostileBody {
    readonly label: string;
    readonly bytes: Buffer;
    readonly field: string;
}

export const HYBRID_CONNECTION = 'contoso-exchange';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HYBRID_CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;
const CLOUDS = ['global', 'usGovHigh', 'usGovDoD', 'china'];
const KEY_SIZES = [2048, 3072, 4096];
const MODES = ['report', 'repair'];

const isIntIn = (low: number, high: number) => (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high;

/** Placeholder replaced in the JSON text by a value too deep to build as an object. */
const DEEP_PLACEHOLDER = '__ppo_hostile_deep_value__';

/** JSON values of any shape plus the edge cases validators forget. */
function anyValue(): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
        {
            weight: 2,
            arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '0', 'true', 'null', [], {}, [null], { '': '' }),
        },
        { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 40_000 }).map((length) => 'x'.repeat(length)) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
        { weight: 1, arbitrary: fc.constant(DEEP_PLACEHOLDER) },
    );
}

/** A value the field refuses, by the contract's own rule for it. */
function invalidFor(isValid: (value: unknown) => boolean, edges: readonly unknown[]): fc.Arbitrary<unknown> {
    return fc.oneof(anyValue(), fc.constantFrom(...edges)).filter((value) => value === DEEP_PLACEHOLDER || !isValid(value));
}

interface FieldRule {
    readonly path: readonly string[];
    readonly bad: fc.Arbitrary<unknown>;
    /** Fields the rule needs next to it (e.g. kind "application" for appId). */
    readonly context?: Readonly<Record<string, unknown>>;
}

const ONBOARD_RULES: readonly FieldRule[] = [
    { path: ['tenantId'], bad: invalidFor((v) => typeof v === 'string' && GUID.test(v), ['6b1f2f7c-2d3a-4c55-9e0e-1f2a3b4c5d6', '6b1f2f7c2d3a4c559e0e1f2a3b4c5d6e', '{6b1f2f7c-2d3a-4c55-9e0e-1f2a3b4c5d6e}']) },
    { path: ['cloud'], bad: invalidFor((v) => typeof v === 'string' && CLOUDS.includes(v), ['Global', 'GLOBAL', 'global ', 'public', 'usgovhigh']) },
    { path: ['keyTarget', 'kind'], bad: invalidFor((v) => v === 'firstPartyServicePrincipal' || v === 'application', ['servicePrincipal', 'Application', '__proto__', 'constructor']) },
    { path: ['keyTarget', 'appId'], context: { kind: 'application' }, bad: invalidFor((v) => typeof v === 'string' && GUID.test(v), ['00000002-0000-0ff1-ce00-00000000000', 'not-a-guid']) },
    { path: ['agent'], bad: invalidFor((v) => typeof v === 'object' && v !== null && !Array.isArray(v), [null, [], 'contoso-exchange']) },
    { path: ['agent', 'hybridConnection'], bad: invalidFor((v) => typeof v === 'string' && HYBRID_CONNECTION_NAME.test(v), ['', '-x', '.x', 'a/b', '../x', 'a b', 'x'.repeat(51), 'contoso-exchange\n', 'contoso%2Fexchange', 'ｃontoso']) },
    { path: ['certificate'], bad: invalidFor((v) => typeof v === 'object' && v !== null && !Array.isArray(v), [null, [], 24]) },
    { path: ['certificate', 'validityMonths'], bad: invalidFor(isIntIn(1, 60), [0, 61, -1, 1.5, '24', 24.000001]) },
    { path: ['certificate', 'keySize'], bad: invalidFor((v) => KEY_SIZES.includes(v as number), [1024, 2047, 8192, '2048', 2048.5]) },
    { path: ['settleSeconds'], bad: invalidFor(isIntIn(0, 900), [-1, 901, 0.5, '120', 1e21]) },
    { path: ['probeAttempts'], bad: invalidFor(isIntIn(1, 10), [0, 11, 3.5, '3']) },
    { path: ['reverifyMode'], bad: invalidFor((v) => typeof v === 'string' && MODES.includes(v), ['Report', 'REPAIR', 'delete', 'repair ']) },
    { path: ['dryRun'], bad: invalidFor((v) => typeof v === 'boolean', ['true', 'false', 0, 1, null]) },
];

const ONBOARD_KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
    '': ['tenantId', 'cloud', 'keyTarget', 'agent', 'certificate', 'settleSeconds', 'probeAttempts', 'reverifyMode', 'dryRun'],
    agent: ['hybridConnection'],
    certificate: ['validityMonths', 'keySize'],
    keyTarget: ['kind'],
};

/** A complete, valid onboarding body; mutations start from it. */
export function validOnboardBody(): fc.Arbitrary<Record<string, unknown>> {
    return fc.record(
        {
            agent: fc.constant({ hybridConnection: HYBRID_CONNECTION }),
            tenantId: fc.constant('0b5a4c3d-2e1f-4a9b-8c7d-6e5f4a3b2c1d'),
            cloud: fc.constantFrom(...CLOUDS),
            keyTarget: fc.constant({ kind: 'firstPartyServicePrincipal' }),
            certificate: fc.record({ validityMonths: fc.integer({ min: 1, max: 60 }), keySize: fc.constantFrom(...KEY_SIZES) }, { requiredKeys: [] }),
            settleSeconds: fc.integer({ min: 0, max: 900 }),
            probeAttempts: fc.integer({ min: 1, max: 10 }),
            reverifyMode: fc.constantFrom(...MODES),
            dryRun: fc.boolean(),
        },
        { requiredKeys: ['agent'] },
    );
}

function deepText(depth: number, open: string, close: string): string {
    return open.repeat(depth) + close.repeat(depth);
}

/** JSON text of `value`, with the deep placeholder (if any) replaced by nesting far deeper than any schema. */
function jsonText(value: unknown, depth: number): string {
    const text = JSON.stringify(value);
    const deep = depth % 2 === 0 ? deepText(depth, '[', ']') : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`;
    return text.replace(JSON.stringify(DEEP_PLACEHOLDER), deep);
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    if (rest.length === 0) {
        Object.defineProperty(target, head, { value, enumerable: true, writable: true, configurable: true });
        return;
    }
    const inner = target[head];
    const child: Record<string, unknown> = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : {};
    setAt(child, rest, value);
    target[head] = child;
}

const depthArbitrary = fc.integer({ min: 200, max: 9_000 });

/** A valid body with one field set to a value the contract refuses. */
function onboardBodyWithBadField(): fc.Arbitrary<HostileBody> {
    return fc
        .tuple(validOnboardBody(), fc.constantFrom(...ONBOARD_RULES), depthArbitrary)
        .chain(([body, rule, depth]) =>
            rule.bad.map((bad) => {
                const mutated: Record<string, unknown> = { ...body };
                if (rule.context) for (const [key, value] of Object.entries(rule.context)) setAt(mutated, [...rule.path.slice(0, -1), key], value);
                setAt(mutated, rule.path, bad);
                return { label: `bad ${rule.path.join('.')}`, bytes: Buffer.from(jsonText(mutated, depth)), field: ['body', ...rule.path].join('.') };
            }),
        );
}

/** A valid body with a field the contract does not have, at the top or inside an object. */
function bodyWithUnknownField(valid: fc.Arbitrary<Record<string, unknown>>, knownKeys: Readonly<Record<string, readonly string[]>>): fc.Arbitrary<HostileBody> {
    const key = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'Agent', 'DRYRUN', 'agent ', 'script', '$where'));
    return fc.tuple(valid, fc.constantFrom(...Object.keys(knownKeys)), key, anyValue(), depthArbitrary).chain(([body, at, name, value, depth]) => {
        const known = knownKeys[at] ?? [];
        if (known.includes(name)) return fc.constant<HostileBody | undefined>(undefined);
        const path = at === '' ? [name] : [at, name];
        const mutated: Record<string, unknown> = { ...body };
        if (at === 'certificate' && typeof mutated.certificate !== 'object') mutated.certificate = {};
        setAt(mutated, path, value);
        return fc.constant<HostileBody | undefined>({ label: `unknown ${path.join('.')}`, bytes: Buffer.from(jsonText(mutated, depth)), field: ['body', ...path].join('.') });
    }).filter((body): body is HostileBody => body !== undefined);
}

/** The body as the API reads it: UTF-8, a byte order mark dropped (the Fetch standard's "UTF-8 decode"). */
export function decodeBody(bytes: Buffer): string {
    return new TextDecoder('utf-8').decode(bytes);
}

function isJson(text: string): boolean {
    try {
        JSON.parse(text);
        return true;
    } catch {
        return false;
    }
}

/** Text that is not JSON: broken documents, arbitrary strings, binary. */
function malformedBody(): fc.Arbitrary<HostileBody> {
    const broken = fc.tuple(validOnboardBody(), fc.nat(), fc.constantFrom('', '{', '}', '"', ',', ':', '\\', 'NaN', 'undefined', "'", '\u0000', '/*', '\ufeff')).map(([body, at, insert]) => {
        const text = JSON.stringify(body);
        const cut = at % (text.length + 1);
        return `${text.slice(0, cut)}${insert}${text.slice(cut + (insert === '' ? 1 : 0))}`;
    });
    const text = fc.oneof(broken, fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), fc.constantFrom('{', '[1,]', '{"agent":}', "{'agent':{}}", 'NaN', 'Infinity', '{"a":1}{"b":2}', '\ufeff{}', '{"agent":{"hybridConnection":"contoso-exchange"}'));
    const binary = fc.uint8Array({ minLength: 1, maxLength: 600 }).map((bytes) => Buffer.from(bytes));
    return fc
        .oneof(text.map((t) => Buffer.from(t, 'utf8')), binary)
        .filter((bytes) => {
            const decoded = decodeBody(bytes);
            return decoded.trim() !== '' && !isJson(decoded);
        })
        .map((bytes) => ({ label: 'not JSON', bytes, field: 'body' }));
}

/** JSON that is not the request object at all (no object with the required "agent"). */
function wrongShapeBody(): fc.Arbitrary<HostileBody> {
    return anyValue()
        .filter((value) => !(typeof value === 'object' && value !== null && !Array.isArray(value) && 'agent' in value))
        .chain((value) =>
            depthArbitrary.map((depth) => {
                // The deep placeholder becomes nested arrays at an even depth and nested objects at an odd one.
                const isObject = value === DEEP_PLACEHOLDER ? depth % 2 === 1 : typeof value === 'object' && value !== null && !Array.isArray(value);
                return { label: 'wrong shape', bytes: Buffer.from(jsonText(value, depth)), field: isObject ? 'body.agent' : 'body' };
            }),
        );
}

/** Bodies over the 64 KiB limit, valid JSON or not. */
function oversizedBody(): fc.Arbitrary<HostileBody> {
    return fc.tuple(fc.integer({ min: 64 * 1024 + 1, max: 300 * 1024 }), fc.boolean()).map(([size, asJson]) => {
        const bytes = asJson
            ? Buffer.from(JSON.stringify({ agent: { hybridConnection: HYBRID_CONNECTION }, padding: 'p'.repeat(size) }))
            : Buffer.alloc(size, 0x7b);
        return { label: 'oversized', bytes, field: 'body' };
    });
}

export function hostileOnboardBody(): fc.Arbitrary<HostileBody> {
    return fc.oneof(
        { weight: 5, arbitrary: onboardBodyWithBadField() },
        { weight: 2, arbitrary: bodyWithUnknownField(validOnboardBody(), ONBOARD_KNOWN_KEYS) },
        { weight: 2, arbitrary: malformedBody() },
        { weight: 2, arbitrary: wrongShapeBody() },
        { weight: 1, arbitrary: oversizedBody() },
    );
}

/** Bodies of POST .../verify: `{mode?: "report" | "repair"}`, nothing else. */
export function hostileVerifyBody(): fc.Arbitrary<HostileBody> {
    const validVerify = fc.record({ mode: fc.constantFrom(...MODES) }, { requiredKeys: [] });
    const badMode = fc.tuple(invalidFor((v) => typeof v === 'string' && MODES.includes(v), ['Report', 'delete', null]), depthArbitrary).map(([mode, depth]) => ({
        label: 'bad mode',
        bytes: Buffer.from(jsonText({ mode }, depth)),
        field: 'body.mode',
    }));
    const wrongShape = anyValue()
        .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
        .map((value) => ({ label: 'not an object', bytes: Buffer.from(jsonText(value, 300)), field: 'body' }));
    return fc.oneof(badMode, bodyWithUnknownField(validVerify, { '': ['mode'] }), wrongShape, malformedBody(), oversizedBody());
}

/** Content types a client might send, JSON or not. */
export function anyContentType(): fc.Arbitrary<string | undefined> {
    return fc.oneof(
        fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/xml', 'application/json; charset=utf-16'),
        fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
    );
}

/** Ways of saying "JSON in UTF-8" (RFC 8259; RFC 6839's +json suffix; type and charset are case-insensitive, RFC 9110 section 8.3.1). */
export function jsonContentType(): fc.Arbitrary<string> {
    return fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', 'application/json; charset="utf-8"', 'application/merge-patch+json');
}

/** Content types that do not say "JSON in UTF-8", or no content type at all. */
export function nonJsonContentType(): fc.Arbitrary<string | undefined> {
    return anyContentType().filter((type) => !isJsonContentType(type));
}

/** RFC 6838 restricted names: `application/json` or `application/<name>+json`. */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9][a-z0-9!#$&^_.+-]*\+)?json$/;

/** Whether the contract reads a body with this content type: JSON, and UTF-8 if a charset is named. */
export function isJsonContentType(type: string | undefined): boolean {
    if (type === undefined) return false;
    const [mediaType = '', ...parameters] = type.split(';').map((part) => part.trim().toLowerCase());
    const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
    return JSON_MEDIA_TYPE.test(mediaType) && (charset === undefined || charset === 'utf-8' || charset === 'utf8');
}

/** The API's body limit, as the README documents it. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The answer the contract gives a body its route's schema refuses: 413 over the limit, 415 for a
 * body not labelled JSON, otherwise 400 naming the field (an empty body reads as `{}`).
 */
export function expectedRefusal(body: Buffer | string | undefined, contentType: string | undefined): string {
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    if (bytes.length > BODY_LIMIT_BYTES) return 'app 413 payload_too_large';
    if (decodeBody(bytes).trim() === '') return 'app 400 validation';
    return isJsonContentType(contentType) ? 'app 400 validation' : 'app 415 unsupported_media_type';
}

/** A path segment as a client might put it on the wire. */
export type SegmentEncoding = 'percent' | 'raw';

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
/** Characters that change the path's structure when sent raw: they stay percent-encoded. */
const STRUCTURAL = new Set(['/', '\\', '?', '#', '%']);

function percentEncode(char: string): string {
    return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * The segment on the wire: "percent" encodes all but unreserved characters; "raw" leaves printable
 * ASCII as it is (quotes, brackets, pipes...) and encodes only what would otherwise split the path.
 */
export function encodeSegment(value: string, encoding: SegmentEncoding): string {
    let out = '';
    for (const char of value) {
        const code = char.codePointAt(0) ?? 0;
        const keep = UNRESERVED.test(char) || (encoding === 'raw' && code >= 0x21 && code <= 0x7e && !STRUCTURAL.has(char));
        out += keep ? char : percentEncode(char);
    }
    return out;
}

/** "." and ".." (also percent-encoded) are dot segments: URL parsing removes them before any route is matched. */
export function isDotSegment(encoded: string): boolean {
    return /^(?:\.|%2e){1,2}$/i.test(encoded);
}

const LABEL_TEXT = fc.stringMatching(/^[a-z0-9]{1,12}$/);

/** A well-formed name to damage. */
const plainDomain = fc.tuple(fc.array(LABEL_TEXT, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'net', 'org', 'onmicrosoft.com', 'co.uk', 'de')).map(([labels, tld]) => [...labels, tld].join('.'));

/** Characters no tenant domain may contain, even after IDN mapping. */
const POISON_CHARACTERS = fc.oneof(
    fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
    fc.constantFrom('\u007f', ' ', '\u00a0', '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u2028', '\u3000'),
    fc.constantFrom('/', '\\', '"', "'", '<', '>', '`', '%', '?', '#', '@', ':', '_', '*', '=', '&', ';', ',', '!', '$', '(', ')', '[', ']', '{', '}', '|', '~', '^', '+'),
);

/** Look-alikes: another script's letter inside a Latin label, full-width or compatibility forms. */
const LOOK_ALIKES = fc.constantFrom(
    'pаypal.com', // Cyrillic а
    'micrоsoft.com', // Cyrillic о
    'cοntoso.com', // Greek ο
    'ｃｏｎｔｏｓｏ.com', // full-width
    'contoso．com', // full-width full stop
    'ﬁnance.com', // ligature
    'contoso.ｃｏｍ',
    'ⓒontoso.com',
    'xn--80ak6aa92e.com\u0430', // punycode of a Cyrillic name, then a Cyrillic letter in the Latin top level
);

/** Names that break a DNS rule: empty labels, hyphens at the edges, lengths, numeric top level, one label. */
const BROKEN_STRUCTURE = fc.oneof(
    fc.constantFrom('contoso..com', '.contoso.com', 'contoso.com..', '-contoso.com', 'contoso-.com', 'contoso.-com', 'contoso', 'localhost', '127.0.0.1', '10.0.0.1', 'contoso.123', '::1', '[::1]', 'contoso.com.:443', 'http://contoso.com', 'contoso.com/onboard', '../contoso.com', 'contoso.com/..', '..contoso.com', '...', 'a.b..', "contoso.com' OR '1'='1", 'contoso.com"; DROP TABLE tenants; --', '${jndi:ldap://x}', '{{7*7}}.com', '%00.com'),
    fc.integer({ min: 64, max: 400 }).map((length) => `${'a'.repeat(length)}.com`),
    fc.integer({ min: 254, max: 6_000 }).map((length) => `${'a.'.repeat(Math.ceil(length / 2))}com`),
);

/** A tenant domain no validator may accept, decoded (what the route parameter should be). */
export function hostileDomain(): fc.Arbitrary<string> {
    const poisoned = fc.tuple(plainDomain, POISON_CHARACTERS, fc.nat()).map(([domain, poison, at]) => {
        const cut = at % (domain.length + 1);
        return `${domain.slice(0, cut)}${poison}${domain.slice(cut)}`;
    });
    return fc.oneof({ weight: 4, arbitrary: poisoned }, { weight: 1, arbitrary: LOOK_ALIKES }, { weight: 2, arbitrary: BROKEN_STRUCTURE });
}

/** Raw segments with percent signs that are not valid percent-encoded UTF-8. */
export function malformedPercentSegment(): fc.Arbitrary<string> {
    const broken = fc.constantFrom('%', '%%', '%zz', '%4', '%G0', '%E9', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%E2%82', '%FF%FE', '%C3%28', '%u0041');
    // Only before a dot or at the end: followed by hex digits, "%4" would become a valid escape.
    return fc.tuple(plainDomain, broken, fc.nat()).map(([domain, bad, at]) => {
        const cuts = [...domain.matchAll(/\./g)].map((match) => match.index).concat(domain.length);
        const cut = cuts[at % cuts.length] ?? domain.length;
        return `${domain.slice(0, cut)}${bad}${domain.slice(cut)}`;
    });
}

/** Anything at all for a run id: unicode, control characters, overlong, path tricks. */
export function anyInstanceId(): fc.Arbitrary<string> {
    return fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
        fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/),
        fc.integer({ min: 101, max: 3_000 }).map((length) => 'r'.repeat(length)),
        fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,30}$/), POISON_CHARACTERS).map(([id, poison]) => `${id}${poison}`),
        fc.constantFrom('tenant-contoso.com/../x', 'tenant-contoso.com%00', '*', '$filter', "' OR 1=1", '..%2f..%2fetc', 'tenant-contoso.com\u200b', 'ｔenant-contoso.com'),
    );
}

/** A query string that tries to smuggle route values or keys; empty most of the time. */
export function anyQuery(): fc.Arbitrary<string> {
    const pair = fc.tuple(fc.constantFrom('tenantDomain', 'instanceId', 'mode', 'dryRun', 'code', 'x', ''), fc.string({ maxLength: 20 })).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
    return fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.array(pair, { minLength: 1, maxLength: 3 }).map((pairs) => `?${pairs.join('&')}`) });
}
