import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM module without type declarations
import { orchestratorRules } from '../../eslint/orchestrator-rules.mjs';

function lintOrchestrator(code: string): Promise<ESLint.LintResult[]> {
    const eslint = new ESLint({
        overrideConfigFile: true,
        overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: orchestratorRules as Linter.RulesRecord }],
    });
    return eslint.lintText(code, { filePath: 'orchestrators/example.ts' });
}

describe('determinism rules for orchestrators/', () => {
    it.each([
        ['an I/O module', "import { readFile } from 'node:fs/promises';"],
        ['an Azure SDK', "import { CertificateClient } from '@azure/keyvault-certificates';"],
        ['an activity implementation', "import { run } from '../activities/agent-inventory';"],
        ['a lib client', "import { GraphKeyTargets } from '../lib/graph/key-targets';"],
        ['Date.now', 'export const t = Date.now();'],
        ['new Date() without arguments', 'export const t = new Date();'],
        ['Math.random', 'export const r = Math.random();'],
        ['setTimeout', 'setTimeout(() => undefined, 10);'],
        ['process.env', 'export const v = process.env.X;'],
        ['a dynamic import', "export const m = import('node:fs');"],
    ])('rejects %s', async (_label, code) => {
        // Act
        const [result] = await lintOrchestrator(code);

        // Assess
        expect(result?.errorCount).toBeGreaterThan(0);
    });

    it.each([
        ['durable-functions', "import * as df from 'durable-functions';"],
        ['a contract', "import { agentCallRetry } from '../lib/contracts/retry-policies';"],
        ['a sibling module', "import { chooseCertificate } from './onboarding/certificate-choice';"],
        ['a type from a client module', "import type { KeyCredential } from '../lib/graph/types';"],
        ['a date built from the durable clock', 'export const d = (now: string) => new Date(now);'],
    ])('accepts %s', async (_label, code) => {
        // Act
        const [result] = await lintOrchestrator(code);

        // Assess
        expect(result?.messages).toEqual([]);
    });
});
