import { resolve } from 'node:path';
import { Language, type Node, Parser } from 'web-tree-sitter';

export interface SyntaxProblem {
    readonly kind: 'ERROR' | 'MISSING';
    readonly line: number;
    readonly column: number;
    readonly text: string;
}

let parser: Parser | undefined;

/** A tree-sitter parser with the PowerShell grammar from tree-sitter-powershell's wasm. */
export async function powershellParser(): Promise<Parser> {
    if (parser !== undefined) return parser;
    await Parser.init();
    const language = await Language.load(resolve(__dirname, '../../../node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm'));
    parser = new Parser();
    parser.setLanguage(language);
    return parser;
}

function collect(node: Node, problems: SyntaxProblem[]): void {
    if (node.isError || node.isMissing) {
        problems.push({ kind: node.isMissing ? 'MISSING' : 'ERROR', line: node.startPosition.row + 1, column: node.startPosition.column + 1, text: node.text.slice(0, 60) });
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child !== null) collect(child, problems);
}

/** Every ERROR and MISSING node in the parse of `source`. */
export async function powershellSyntaxProblems(source: string): Promise<{ problems: SyntaxProblem[]; root: Node }> {
    const tree = (await powershellParser()).parse(source);
    if (tree === null) throw new Error('tree-sitter returned no tree');
    const problems: SyntaxProblem[] = [];
    collect(tree.rootNode, problems);
    return { problems, root: tree.rootNode };
}

/** Node types anywhere in the tree. */
export function nodeTypes(root: Node): Set<string> {
    const types = new Set<string>();
    const walk = (node: Node): void => {
        types.add(node.type);
        for (const child of node.children) if (child !== null) walk(child);
    };
    walk(root);
    return types;
}
