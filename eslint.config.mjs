import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import tseslint from 'typescript-eslint';
import { durableClientRules, INSTANCE_MANAGING_FOLDERS } from './eslint/durable-client-rules.mjs';
import { orchestratorRules } from './eslint/orchestrator-rules.mjs';
import { PRODUCT_FOLDERS, productBoundaryRules } from './eslint/product-boundary-rules.mjs';

export default tseslint.config(
    { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'bench/results.json', 'scripts/not-yet.js', '**/*.d.ts'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {
                projectService: {
                    allowDefaultProject: ['eslint.config.mjs', 'vitest.config.mts', 'scripts/*.js', 'scripts/*.mjs', 'scripts/test-tools/*.mjs', 'eslint/*.mjs'],
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
        files: PRODUCT_FOLDERS.map((folder) => `${folder}/**/*.ts`),
        rules: productBoundaryRules,
    },
    {
        files: INSTANCE_MANAGING_FOLDERS.map((folder) => `${folder}/**/*.ts`),
        rules: durableClientRules,
    },
    {
        files: ['orchestrators/**/*.ts'],
        rules: orchestratorRules,
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
