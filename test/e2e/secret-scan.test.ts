import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { describeFindings, scanForSecrets } from '../support/secret-scan/secret-scan';
import { worldArtifacts, worldSecrets } from '../support/secret-scan/world-artifacts';
import { WorldRecorder } from '../support/secret-scan/world-recorder';
import { api, onboard, verify } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

describe('secrets', () => {
    it('appear nowhere in what an onboarding and a rotation produce: histories, statuses, logs, HTTP answers, the audit log, the registry', async () => {
        // Prepare
        const recorder = new WorldRecorder();
        stack = recorder.attach(await startWorld(DEFAULT_SCENARIO, recorder.options()));
        const { recordings } = recorder;

        // Act
        const onboarded = await onboard(stack, { certificate: { validityMonths: 1 } });
        const rotated = await verify(stack, 'report');
        await api(stack, 'GET', 'tenants/contoso.com');
        await api(stack, 'GET', 'tenants');
        const artifacts = await worldArtifacts(stack, recordings);
        const known = worldSecrets(stack, recordings);
        const findings = scanForSecrets(artifacts, known);

        // Assess
        expect([onboarded.runtimeStatus, rotated.runtimeStatus, (rotated.output as { rotation: unknown } | null)?.rotation]).toEqual(['Completed', 'Completed', expect.objectContaining({ kind: 'staged' })]);
        expect(describeFindings(findings)).toBe('');
        const kinds = new Set(artifacts.map((a) => a.source.replace(/\[\d+\].*$/, '').split(' ')[0]));
        expect(kinds).toEqual(new Set(['instance', 'log', 'HTTP', 'agent', 'registry', 'Graph']));
        expect(artifacts.filter((a) => a.source.startsWith('agent file')).map((a) => a.source)).toContain('agent file audit.jsonl');
        expect(known.map((k) => k.kind).sort()).toEqual(['pfx', 'pfx', 'pfxPassword', 'pfxPassword', 'sasKey', 'sasKey', 'sharedSecret']);
    });

    it('are found when one is planted among the same artifacts, so the scan above cannot pass by looking at nothing', async () => {
        // Prepare
        const recorder = new WorldRecorder();
        stack = recorder.attach(await startWorld(DEFAULT_SCENARIO, recorder.options()));
        await onboard(stack);
        const { recordings } = recorder;
        const artifacts = await worldArtifacts(stack, recordings);
        const planted = { source: 'planted', text: JSON.stringify({ note: `agent configured with ${stack.secrets.agentSharedSecret}` }) };

        // Act
        const findings = scanForSecrets([...artifacts, planted], worldSecrets(stack, recordings));

        // Assess
        expect(findings.map((f) => [f.source, f.kind, f.how])).toEqual([['planted', 'sharedSecret', 'the agent shared secret']]);
    });
});
