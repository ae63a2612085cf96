import { describe, expect, it } from 'vitest';
import { onboardSucceededSchema, type RunView } from '../../cli/run-api-schemas';
import { onboardVerdict, verifyVerdict } from '../../cli/run-verdict';

const SUCCEEDED_OUTPUT = {
    outcome: 'succeeded',
    certificate: { thumbprint: 'B2B2', notAfter: '2028-01-05T09:00:00.000Z', source: 'created' },
    authServer: 'created',
    keyCredentials: { before: ['k1'], after: ['k1', 'k2'] },
    probe: { server: 'EX1', resultType: 'Succeeded', attempts: 1 },
    changes: ['Created certificate B2B2'],
};

function run(fields: Partial<RunView>): RunView {
    return { instanceId: 'tenant-contoso.com', runtimeStatus: 'Completed', steps: [], error: null, output: null, ...fields };
}

function checks(states: Record<string, string>): { id: string; state: string; detail: string }[] {
    return Object.entries(states).map(([id, state]) => ({ id, state, detail: `${id} is ${state}` }));
}

describe('the installs of a succeeded onboarding as ppo reads them', () => {
    it.each([
        { name: 'servers by outcome', installed: { imported: ['EX2'], present: ['EX1'] } },
        { name: 'a report per server (runs completed before)', installed: [{ server: 'EX2', action: 'imported' }, { server: 'EX1', action: 'present' }] },
    ])('reads $name', ({ installed }) => {
        // Act
        const parsed = onboardSucceededSchema.parse({ ...SUCCEEDED_OUTPUT, installed });

        // Assess
        expect(parsed.installed).toEqual({ imported: ['EX2'], present: ['EX1'] });
    });
});

describe('the verdict on a finished onboarding', () => {
    it.each([
        { name: 'succeeded', view: run({ output: SUCCEEDED_OUTPUT }), ok: true, lines: ['Onboarding succeeded (run tenant-contoso.com).', '  Probe            Succeeded on EX1 after 1 attempt', '    - Created certificate B2B2'] },
        { name: 'succeeded with nothing to change', view: run({ output: { ...SUCCEEDED_OUTPUT, changes: [] } }), ok: true, lines: ['  Changes          none: everything was already in place'] },
        { name: 'a dry run with planned changes', view: run({ output: { outcome: 'dryRun', plannedChanges: ['Install the new certificate on EX1, EX2'] } }), ok: true, lines: ['Dry run: nothing was written. A real run would:', '  - Install the new certificate on EX1, EX2'] },
        { name: 'a dry run with nothing to do', view: run({ output: { outcome: 'dryRun', plannedChanges: [] } }), ok: true, lines: ['Dry run: nothing to change; everything is already in place.'] },
        {
            name: 'failed with a remedy',
            view: run({ runtimeStatus: 'Failed', error: { step: 'preflight', code: 'preflight_failed', message: 'EX2 is below CU3', remedy: 'Install CU3 or later on EX2.' } }),
            ok: false,
            lines: ['Onboarding failed at step preflight (preflight_failed): EX2 is below CU3', '  What to do: Install CU3 or later on EX2.'],
        },
        { name: 'completed with an error', view: run({ error: { step: 'probe', code: 'probe_failed', message: 'no' } }), ok: false, lines: ['Onboarding failed at step probe (probe_failed): no'] },
        { name: 'terminated', view: run({ runtimeStatus: 'Terminated' }), ok: false, lines: ['Onboarding ended Terminated (run tenant-contoso.com).'] },
        { name: 'completed with an unknown output', view: run({ output: { outcome: 'maybe' } }), ok: false, lines: ['Onboarding completed with an output ppo does not recognize (run tenant-contoso.com).'] },
    ])('$name: ok is $ok', ({ view, ok, lines }) => {
        // Act
        const verdict = onboardVerdict(view);

        // Assess
        expect(verdict.ok).toBe(ok);
        expect(verdict.lines).toEqual(expect.arrayContaining(lines));
    });
});

interface VerificationCase {
    readonly outcome: string;
    readonly states: Record<string, string>;
    readonly ok: boolean;
    readonly line: string;
}

describe('the verdict on a finished verification', () => {
    it.each<VerificationCase>([
        { outcome: 'succeeded', states: { authConfigCertificate: 'ok', probe: 'ok' }, ok: true, line: '  ✓ authConfigCertificate  ok        authConfigCertificate is ok' },
        { outcome: 'repaired', states: { authServer: 'repaired', probe: 'ok' }, ok: true, line: '  ✓ authServer  repaired  authServer is repaired' },
        { outcome: 'drifted', states: { pushProxy: 'drifted' }, ok: false, line: 'Drift remains: repair it with ppo verify contoso.com --mode repair' },
        { outcome: 'failed', states: { probe: 'failed' }, ok: false, line: '  ✗ probe  failed    probe is failed' },
    ])('$outcome: ok is $ok', ({ outcome, states, ok, line }) => {
        // Prepare
        const view = run({ output: { mode: 'report', outcome, checks: checks(states), rotation: null } });

        // Act
        const verdict = verifyVerdict(view, 'contoso.com');

        // Assess
        expect(verdict.ok).toBe(ok);
        expect(verdict.lines[0]).toBe(`Verification ${outcome} (report mode, run tenant-contoso.com).`);
        expect(verdict.lines).toContain(line);
    });

    it('fails a run that ended with a structured error, with its remedy', () => {
        // Prepare
        const view = run({ runtimeStatus: 'Failed', error: { step: 'registry', code: 'not_onboarded', message: 'gone', remedy: 'Onboard it again.' } });

        // Act
        const verdict = verifyVerdict(view, 'contoso.com');

        // Assess
        expect(verdict).toEqual({ ok: false, lines: ['Verification failed at step registry (not_onboarded): gone', '  What to do: Onboard it again.'] });
    });
});
