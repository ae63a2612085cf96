import { describe, expect, it } from 'vitest';
import { checkTenantDomain, tenantInstanceId } from '../../lib/contracts/tenant-domain';

describe('checkTenantDomain', () => {
    it.each([
        ['contoso.com', 'contoso.com'],
        ['Contoso.COM', 'contoso.com'],
        ['contoso.onmicrosoft.com', 'contoso.onmicrosoft.com'],
        ['contoso.com.', 'contoso.com'],
        ['bücher.de', 'xn--bcher-kva.de'],
        ['a-b.c-d.example', 'a-b.c-d.example'],
        [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
    ])('accepts %s as %s', (input, expected) => {
        // Act
        const result = checkTenantDomain(input);

        // Assess
        expect(result).toEqual({ ok: true, domain: expected });
    });

    it.each([
        ['empty', '', 'must not be empty'],
        ['not a string', 42, 'must be a string'],
        ['shell injection', 'fabrikam.com"; Remove-Item', 'spaces'],
        ['quote without spaces', 'fabrikam.com";Remove-Item', 'letters, digits or hyphens'],
        ['path traversal', '../x', 'letters, digits or hyphens'],
        ['300 characters', `${'a'.repeat(60)}.`.repeat(5), 'at most 253'],
        ['label over 63', `${'a'.repeat(64)}.com`, 'letters, digits or hyphens'],
        ['single label', 'localhost', 'at least two labels'],
        ['leading hyphen', '-contoso.com', 'letters, digits or hyphens'],
        ['Cyrillic o in a Latin name', 'c\u043entoso.com', 'mixes writing systems'],
        ['the same look-alike sent as punycode (issue 15, finding 6)', 'xn--cntoso-wqf.com', 'mixes writing systems'],
        ['full-width letters', '\uff43ontoso.com', 'compatibility characters'],
        ['zero-width space', 'con\u200btoso.com', 'invisible'],
        ['numeric top-level label', 'contoso.123', 'all digits'],
        ['empty label', 'contoso..com', 'letters, digits or hyphens'],
        ['underscore', 'con_toso.com', 'letters, digits or hyphens'],
        ['a path after the name', 'contoso.com/onboard', 'contains "/"'],
        ['a query after the name', 'contoso.com?x=1', 'contains "?"'],
        ['a fragment after the name', 'contoso.com#x', 'contains "#"'],
        ['a percent-encoded letter', 'contos%6f.com', 'contains "%"'],
        ['a port', 'contoso.com:443', 'contains ":"'],
    ])('rejects %s', (_label, input, reason) => {
        // Act
        const result = checkTenantDomain(input);

        // Assess
        expect(result.ok).toBe(false);
        expect(result.ok ? '' : result.reason).toContain(reason);
    });
});

describe('tenantInstanceId', () => {
    it('is stable and readable for ordinary domains', () => {
        expect(tenantInstanceId('contoso.com')).toBe('tenant-contoso.com');
    });

    it('stays within 100 characters and distinct for long domains', () => {
        // Prepare
        const a = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(40)}.com`;
        const b = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'d'.repeat(40)}.com`;

        // Act
        const ids = [tenantInstanceId(a), tenantInstanceId(b)];

        // Assess
        expect(ids.every((id) => id.length <= 100)).toBe(true);
        expect(ids[0]).not.toBe(ids[1]);
    });
});
