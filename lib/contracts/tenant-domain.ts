import { createHash } from 'node:crypto';
import { domainToASCII, domainToUnicode } from 'node:url';

export type TenantDomainCheck = { ok: true; domain: string } | { ok: false; reason: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]/u;
const SCRIPTED_LETTER = /\p{L}/u;
/** ASCII other than what a DNS name may hold (letters are lower-cased first; non-ASCII is IDN, checked below). */
const STRAY_ASCII = /[^a-z0-9.\-\u{80}-\u{10ffff}]/u;
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Hebrew', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Thai', 'Devanagari', 'Georgian', 'Cherokee'] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => ({ name, test: new RegExp(`\\p{Script=${name}}`, 'u') }));

function scriptsOf(label: string): Set<string> {
    const found = new Set<string>();
    for (const char of label) {
        if (!SCRIPTED_LETTER.test(char)) continue;
        const script = SCRIPT_TESTS.find((s) => s.test.test(char));
        found.add(script?.name ?? 'Other');
    }
    return found;
}

/**
 * Validates a Microsoft 365 tenant domain before anything else happens: a DNS name, lower-cased,
 * IDN converted to punycode, at most 253 characters, labels of 1 to 63 letters, digits or hyphens.
 * Labels that mix scripts (e.g. a Cyrillic "о" inside a Latin name) or use compatibility forms
 * (full-width letters) are rejected as look-alikes rather than silently normalised.
 */
export function checkTenantDomain(input: unknown): TenantDomainCheck {
    if (typeof input !== 'string') return { ok: false, reason: 'must be a string' };
    const trimmed = input.endsWith('.') ? input.slice(0, -1) : input;
    if (trimmed.length === 0) return { ok: false, reason: 'must not be empty' };
    if (trimmed.length > 253) return { ok: false, reason: `is ${trimmed.length} characters long; a DNS name has at most 253` };
    if (INVISIBLE.test(trimmed)) return { ok: false, reason: 'contains spaces, control or invisible characters' };
    if (trimmed.normalize('NFKC') !== trimmed.normalize('NFC')) {
        return { ok: false, reason: 'contains compatibility characters (such as full-width letters) that imitate other characters' };
    }
    // domainToASCII parses like a URL host: it stops at "/", "?" or "#" and decodes "%41", so
    // "contoso.com/x" or "a%41.com" would come back as another, valid name. Refuse them here.
    const stray = STRAY_ASCII.exec(trimmed.normalize('NFC').toLowerCase());
    if (stray) return { ok: false, reason: `contains ${JSON.stringify(stray[0])}; labels hold only letters, digits or hyphens, separated by dots` };
    const unicodeLabels = trimmed.normalize('NFC').toLowerCase().split('.');
    for (const label of unicodeLabels) {
        if (scriptsOf(label).size > 1) return { ok: false, reason: `label "${label}" mixes writing systems (a look-alike of another name)` };
    }
    if (/^\d+$/.test(unicodeLabels[unicodeLabels.length - 1] ?? '')) return { ok: false, reason: 'the top-level label cannot be all digits' };
    const ascii = domainToASCII(unicodeLabels.join('.'));
    if (ascii === '') return { ok: false, reason: 'is not a valid domain name' };
    if (ascii.length > 253) return { ok: false, reason: 'is longer than 253 characters once converted to punycode' };
    const labels = ascii.split('.');
    if (labels.length < 2) return { ok: false, reason: 'must have at least two labels, e.g. contoso.com' };
    for (const label of labels) {
        if (!LABEL.test(label)) {
            return { ok: false, reason: `label "${label.slice(0, 70)}" must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen` };
        }
    }
    const unicode = domainToUnicode(ascii);
    if (unicode === '') return { ok: false, reason: 'is not a valid internationalised domain name' };
    // Again on the Unicode form: a look-alike sent as punycode ("xn--cntoso-wqf.com") passed the checks above as plain ASCII.
    for (const label of unicode.split('.')) {
        if (scriptsOf(label).size > 1 || label.normalize('NFKC') !== label) return { ok: false, reason: `label "${label}" (the Unicode form of the punycode) mixes writing systems or imitates other characters (a look-alike of another name)` };
    }
    return { ok: true, domain: ascii };
}

/**
 * The one orchestration instance id of a tenant: onboarding and re-verification share it, so a
 * tenant never has two runs at once. Durable Functions' Azure Storage backend allows 100 characters.
 */
export function tenantInstanceId(tenantDomain: string): string {
    const id = `tenant-${tenantDomain}`;
    if (id.length <= 100) return id;
    const digest = createHash('sha256').update(tenantDomain).digest('hex').slice(0, 16);
    return `tenant-${tenantDomain.slice(0, 76)}-${digest}`;
}
