import { noLocalImportPattern } from './product-boundary-rules.mjs';

/**
 * Orchestrators replay: they must not do I/O, read the clock or draw random numbers
 * (DESIGN.md section 2). Shared by eslint.config.mjs and the test that proves the rules bite.
 */
export const orchestratorImportRules = {
    patterns: [
        // This rule replaces the product-wide one for orchestrators/, so it repeats it.
        noLocalImportPattern,
        {
            regex: '^(?!durable-functions$|\\.{1,2}/)',
            message: 'Orchestrators are deterministic: import only durable-functions and contracts (DESIGN.md section 2).',
        },
        {
            regex: '^(\\.\\./)+(activities|functions|agent|local)(/|$)',
            message: 'Orchestrators import contracts from lib/contracts, never activities, functions, agent or local code.',
            allowTypeImports: true,
        },
        {
            regex: '^(\\.\\./)+lib/(?!contracts/)',
            message: 'Orchestrators may import only lib/contracts (no clients, no I/O).',
            allowTypeImports: true,
        },
    ],
};

export const nonDeterministicSyntax = [
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use context.df.currentUtcDateTime.' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use context.df.currentUtcDateTime.' },
    { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Orchestrators must be deterministic.' },
    { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Use context.df.createTimer.' },
    { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Configuration reaches orchestrators only through their input.' },
    { selector: "CallExpression[callee.name='require']", message: 'Orchestrators use static imports of contracts only.' },
    { selector: 'ImportExpression', message: 'Orchestrators use static imports of contracts only.' },
];


export const orchestratorRules = {
    'no-restricted-imports': ['error', orchestratorImportRules],
    'no-restricted-syntax': ['error', ...nonDeterministicSyntax],
};
