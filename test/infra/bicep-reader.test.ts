import { describe, expect, it } from 'vitest';
import { arrayElements, objectEntries, readModules, readParams, readResources, readStatements, splitArguments, stripComments } from './bicep-reader';

describe('bicep-reader', () => {
    it('blanks comments but keeps strings that look like them, and keeps offsets', () => {
        // Prepare
        const source = "var a = '// not a comment' // a comment\n/* {\n */ var b = 'it\\'s /* fine */'";

        // Act
        const stripped = stripComments(source);

        // Assess
        expect(stripped).toHaveLength(source.length);
        expect(stripped).toContain("'// not a comment'");
        expect(stripped).not.toContain('a comment\n');
        expect(stripped).toContain("'it\\'s /* fine */'");
        expect(stripped.split('\n')).toHaveLength(3);
    });

    it('splits statements, carrying multi-line decorators and bracketed bodies', () => {
        // Prepare
        const source = [
            '@allowed([',
            "  'a'",
            "  'b' // }",
            '])',
            "param choice string = 'a'",
            '@secure()',
            'param key string',
            "resource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
            "  name: '}'",
            '}',
            'output o string = s.name',
        ].join('\n');

        // Act
        const statements = readStatements(source);

        // Assess
        expect(statements.map((s) => s.keyword)).toEqual(['param', 'param', 'resource', 'output']);
        expect(readParams(statements)).toEqual([
            { name: 'choice', type: 'string', hasDefault: true, nullable: false, secure: false },
            { name: 'key', type: 'string', hasDefault: false, nullable: false, secure: true },
        ]);
        expect(statements[2]?.line).toBe(8);
    });

    it('reads resources with their loop, and modules with their params', () => {
        // Prepare
        const source = [
            "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (id, i) in ids: {",
            '  name: guid(x.id, p, id)',
            '}]',
            "module m './m.bicep' = if (deploy) {",
            "  name: 'm'",
            '  params: { a: 1, b: f(2, 3) }',
            '}',
        ].join('\n');

        // Act
        const statements = readStatements(source);
        const [resource] = readResources(statements);
        const [module] = readModules(statements);

        // Assess
        expect(resource).toMatchObject({ symbol: 'r', type: 'Microsoft.Authorization/roleAssignments', existing: false, loop: { item: 'id', items: 'ids' } });
        expect(resource?.properties.get('name')).toBe('guid(x.id, p, id)');
        expect(module?.path).toBe('./m.bicep');
        expect([...(module?.params ?? new Map<string, string>())]).toEqual([['a', '1'], ['b', 'f(2, 3)']]);
    });

    it('reads object entries with quoted keys and nested values', () => {
        // Act
        const entries = objectEntries("{\n  'azd-service-name': 'api'\n  nested: {\n    a: 'x:y'\n  }\n  last: [\n    1\n  ]\n}");

        // Assess
        expect([...entries.keys()]).toEqual(['azd-service-name', 'nested', 'last']);
        expect(entries.get('nested')).toBe("{\n    a: 'x:y'\n  }");
    });

    it('splits arguments and array elements at top level only', () => {
        // Act
        const args = splitArguments("a.id, f(b, c), 'd, e'");
        const elements = arrayElements("[\n  roles.a.id\n  'g, h'\n]");

        // Assess
        expect(args).toEqual(['a.id', 'f(b, c)', "'d, e'"]);
        expect(elements).toEqual(['roles.a.id', "'g, h'"]);
    });

    it('refuses text it cannot read rather than skipping it', () => {
        // Act
        const read = (): unknown => readStatements('var a = 1\nthis is not bicep');

        // Assess
        expect(read).toThrow(/not a Bicep statement/);
    });
});
