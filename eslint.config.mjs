import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';

const orchestratorImportRules = {
    patterns: [
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

const nonDeterministicSyntax = [
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use context.df.currentUtcDateTime.' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use context.df.currentUtcDateTime.' },
    { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Orchestrators must be deterministic.' },
    { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Use context.df.createTimer.' },
    { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Configuration reaches orchestrators only through their input.' },
    { selector: "CallExpression[callee.name='require']", message: 'Orchestrators use static imports of contracts only.' },
    { selector: 'ImportExpression', message: 'Orchestrators use static imports of contracts only.' },
];

export default tseslint.config(
    { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'bench/results.json', 'scripts/not-yet.js', '**/*.d.ts'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {
                projectService: {
                    allowDefaultProject: ['eslint.config.mjs', 'vitest.config.mts', 'scripts/*.js', 'scripts/*.mjs'],
                },
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/no-misused-promises': 'error',
            '@typescript-eslint/no-explicit-any': 'error',
            '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            'no-console': 'off',
        },
    },
    {
        files: ['**/*.js', '**/*.mjs'],
        ...tseslint.configs.disableTypeChecked,
    },
    {
        files: ['orchestrators/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', orchestratorImportRules],
            'no-restricted-syntax': ['error', ...nonDeterministicSyntax],
        },
    },
    {
        files: ['test/**/*.ts'],
        plugins: { vitest },
        rules: {
            ...vitest.configs.recommended.rules,
            'vitest/no-focused-tests': 'error',
            'vitest/no-disabled-tests': 'error',
            'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
            '@typescript-eslint/unbound-method': 'off',
        },
    },
);
