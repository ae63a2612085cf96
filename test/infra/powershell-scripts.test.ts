import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, type Node, Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './infra-sources';

const SCRIPTS = ['agent/install-service.ps1', 'infra/hooks/postprovision.ps1', 'infra/hooks/provider-app-registration.ps1'];

function descendants(node: Node): Node[] {
    return [node, ...node.children.flatMap((child) => (child === null ? [] : descendants(child)))];
}

let parser: Parser;

beforeAll(async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
    parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
});

function parse(source: string): Node {
    const tree = parser.parse(source);
    if (tree === null) {
        throw new Error('tree-sitter returned no tree');
    }
    return tree.rootNode;
}

function problemsOf(source: string): string[] {
    const root = parse(source);
    const nodes = descendants(root);
    return [
        ...nodes.filter((n) => n.type === 'ERROR' || n.isMissing).map((n) => `syntax error at line ${n.startPosition.row + 1}`),
        ...(root.children.some((n) => n?.type === 'param_block') ? [] : ['no script-level param() block']),
        ...nodes.filter((n) => n.type === 'command_name' && /^(Invoke-Expression|iex)$/i.test(n.text)).map((n) => `${n.text} at line ${n.startPosition.row + 1}`),
    ];
}

describe('PowerShell scripts of the deployment', () => {
    it.each(SCRIPTS)('%s parses, takes its values through param() and never runs text as code', (script) => {
        // Prepare
        const source = readFileSync(join(REPO_ROOT, script), 'utf8');

        // Act
        const problems = problemsOf(source);

        // Assess
        expect(problems).toEqual([]);
    });

    it('flags a script without param() that runs text as code', () => {
        // Prepare
        const source = '$command = "Get-Service " + $args[0]\nInvoke-Expression $command\n';

        // Act
        const problems = problemsOf(source);

        // Assess
        expect(problems).toEqual(['no script-level param() block', 'Invoke-Expression at line 2']);
    });
});
