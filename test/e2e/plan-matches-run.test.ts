import { afterEach, describe, expect, it } from 'vitest';
import type { OnboardDryRun } from '../../lib/contracts/onboarding-result';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard } from './support/api';
import { scenarioPath, startWorld } from './support/world';

let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

/**
 * The dry run's plan against what a real run then does in the same world, step by step: each
 * planned step ran (succeeded) or was skipped as planned, and MSExchangeHM restarted where planned.
 */
describe('the dry run plans what the real run then does', () => {
    it.each(['fresh-organization', 'already-onboarded', 'auth-server-wrong-url', 'oauth-certificate-on-one-server', 'pre-existing-key-credentials', 'probe-fails-twice'])(
        'in the %s scenario',
        async (scenario) => {
            // Prepare
            stack = await startWorld(scenarioPath(scenario));
            const dryRun = await onboard(stack, { dryRun: true });
            const plan = (dryRun.output as unknown as OnboardDryRun).plan;

            // Act
            const run = await onboard(stack);

            // Assess
            const planned = plan.map((p) => `${p.step}: ${p.action === 'run' ? 'succeeded' : 'skipped'}`);
            const done = plan.map((p) => `${p.step}: ${run.steps.find((s) => s.id === p.step)?.state ?? 'absent'}`);
            expect(done).toEqual(planned);
            const restart = plan.find((p) => p.step === 'restartHealthManager');
            const restarted = run.steps.find((s) => s.id === 'restartHealthManager');
            const restartPlanned = restart?.action === 'run';
            expect(restarted?.detail).toBe(restartPlanned ? `restarted ${restart.detail}` : 'not needed: nothing changed on premises');
            expect((dryRun.output as unknown as OnboardDryRun).plannedChanges.at(-1)).toMatch(restartPlanned ? `Restart MSExchangeHM ${restart.detail}` : /no MSExchangeHM restart/);
        },
        // Two runs in a fresh world each: the first world of the file also pays for the TLS material.
        60_000,
    );
});
