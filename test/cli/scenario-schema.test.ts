import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../local/cli/cli-args';
import { scenarioJsonSchema, scenarioJsonSchemaText, scenarioSchemaFile } from '../../local/cli/scenario-json-schema';

interface SchemaNode {
    readonly properties?: Record<string, SchemaNode>;
    readonly items?: SchemaNode;
    readonly anyOf?: readonly SchemaNode[];
    readonly oneOf?: readonly SchemaNode[];
    readonly allOf?: readonly SchemaNode[];
    readonly $ref?: string;
    readonly $defs?: Record<string, SchemaNode>;
}

/** Every field of the format as a documented path: `exchange.servers[].name`. */
function fieldPaths(root: SchemaNode): string[] {
    const paths = new Set<string>();
    const visit = (node: SchemaNode, path: string) => {
        if (node.$ref !== undefined) {
            const target = root.$defs?.[node.$ref.replace('#/$defs/', '')];
            if (target !== undefined) visit(target, path);
        }
        for (const [name, child] of Object.entries(node.properties ?? {})) {
            const childPath = path === '' ? name : `${path}.${name}`;
            paths.add(childPath);
            visit(child, childPath);
        }
        if (node.items !== undefined) visit(node.items, `${path}[]`);
        for (const variant of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) visit(variant, path);
    };
    visit(root, '');
    return [...paths];
}

describe('the scenario JSON Schema', () => {
    it('is committed as generated from the zod schema (run `npm run scenario-schema` after changing it)', () => {
        // Prepare
        const committed = readFileSync(scenarioSchemaFile(), 'utf8');

        // Assess
        expect(committed).toBe(scenarioJsonSchemaText());
    });

    it('is what the shipped scenarios point at', () => {
        // Prepare
        const defaultScenario = JSON.parse(readFileSync(join(repositoryRoot(), 'local', 'scenarios', 'default.json'), 'utf8')) as { $schema?: string };

        // Assess
        expect(join(repositoryRoot(), 'local', 'scenarios', defaultScenario.$schema ?? '')).toBe(scenarioSchemaFile());
    });

    it('describes the input side: fields with defaults are optional, required fields are listed', () => {
        // Prepare
        const schema = scenarioJsonSchema() as { required?: string[]; properties: Record<string, { default?: unknown }> };

        // Assess
        expect(schema.required?.sort()).toEqual(['entra', 'exchange', 'name', 'tenant']);
        expect(schema.properties.faults?.default).toEqual({});
    });
});

describe('docs/scenarios.md', () => {
    const docs = readFileSync(join(repositoryRoot(), 'docs', 'scenarios.md'), 'utf8');
    const paths = fieldPaths(scenarioJsonSchema());

    it('finds the fields to check', () => {
        expect(paths).toEqual(expect.arrayContaining(['tenant.domain', 'exchange.servers[].adminDisplayVersion', 'entra.keyTarget.appId', 'faults.keyVault.errors[].match']));
    });

    it.each(paths)('documents `%s`', (path) => {
        expect(docs).toContain(`| \`${path}\` |`);
    });
});
