import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, onboard, type RunView } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

/** Two OAuth certificates the article's procedure would find and this run cannot reuse: a 1024-bit key, and one inside the renewal window (the virtual clock starts 2026-01-05). */
const REJECTED = [
    { id: 'weak', friendlyName: 'Exchange OAuth', subject: 'Exchange OAuth', domains: ['corp.contoso.com'], services: ['SMTP'], keySize: 1024, notBefore: '2025-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z', servers: ['EX1', 'EX2'] },
    { id: 'expiring', friendlyName: 'Old OAuth', subject: 'Old OAuth', domains: ['corp.contoso.com'], services: ['SMTP'], notBefore: '2024-01-01T00:00:00Z', notAfter: '2026-02-01T00:00:00Z', servers: ['EX1', 'EX2'] },
];

describe('the reason a certificate was created, after the step completed', () => {
    let folder: string;
    let stack: LocalStack;
    let run: RunView;

    beforeAll(async () => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-reasons-'));
        const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO, 'utf8')) as { exchange: { certificates: unknown[] } };
        const path = join(folder, 'rejected-oauth-certificates.json');
        await writeFile(path, JSON.stringify({ ...scenario, $schema: undefined, exchange: { ...scenario.exchange, certificates: [...scenario.exchange.certificates, ...REJECTED] } }));
        stack = await startWorld(path);
        await onboard(stack);
        run = (await api<RunView>(stack, 'GET', 'runs/tenant-contoso.com')).body;
    });

    afterAll(async () => {
        await stack?.stop();
        await rm(folder, { recursive: true, force: true });
    });

    it('stays in the step table of the finished run: which certificate was not reused, and why', () => {
        // Act
        const step = run.steps.find((s) => s.id === 'certificate');

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(step).toMatchObject({ state: 'succeeded', detail: expect.stringMatching(/^created [0-9A-F]{40} in Key Vault: none reusable: "Exchange OAuth" [0-9A-F]{8}: a 1024-bit key/) as unknown });
    });

    it('is in full in the run output: every certificate not reused, with each reason', () => {
        // Act
        const reason = (run.output as { certificate: { reason: string } }).certificate.reason;

        // Assess
        expect(reason).toMatch(/^none reusable: "Exchange OAuth" [0-9A-F]{8}: a 1024-bit key \| "Old OAuth" [0-9A-F]{8}: expires 2026-02-01, within the 60-day renewal window$/);
    });
});
