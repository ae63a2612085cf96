import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { findPowerShell } from '../../local/exchange/powershell/powershell-double';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard, verify, type VerifyOutput } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';

/**
 * The whole product with the agent's real PowerShell host and scripts against the Exchange double:
 * the default scenario's onboarding, a rotation without downtime, and the Exchange shell hanging
 * and dying in the middle of an onboarding.
 */

const stacks: LocalStack[] = [];
afterAll(async () => {
    await Promise.all(stacks.splice(0).map((stack) => stack.stop()));
});

async function powershellWorld(callTimeoutMs = 120_000): Promise<{ stack: LocalStack; clock: VirtualClock }> {
    const clock = new VirtualClock();
    const stack = await startWorld(DEFAULT_SCENARIO, { clock, powershell: { powershell: findPowerShell(), callTimeoutMs } });
    stacks.push(stack);
    return { stack, clock };
}

describe('onboarding and rotation through the agent\'s PowerShell host', () => {
    it('onboards the default scenario: probe Succeeded, both pre-existing keys kept and one added; then rotates with no moment of downtime', async () => {
        // Prepare
        const { stack, clock } = await powershellWorld();
        const downtime: string[] = [];
        // Graph re-creates the credentials sent back (new keyIds): the pre-existing keys are known by their certificates.
        const preExisting = stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint);

        // Act
        const onboarded = await onboard(stack, { certificate: { validityMonths: 1 } });
        const keysAfterOnboarding = stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint);
        const first = (onboarded.output as { certificate: { thumbprint: string } }).certificate.thumbprint;
        const stopWatch = clock.onAdvance(() => {
            for (const server of ['EX1', 'EX2']) {
                const link = stack.exchange.missingLink(server);
                if (link !== undefined) downtime.push(`${new Date(clock.now()).toISOString()} ${server}: ${link.error}`);
            }
        });
        const rotated = await verify(stack, 'report');
        stopWatch();

        // Assess
        expect(onboarded.runtimeStatus).toBe('Completed');
        expect(onboarded.output).toMatchObject({ probe: { resultType: 'Succeeded' } });
        expect(keysAfterOnboarding).toHaveLength(3);
        expect(preExisting).toHaveLength(2);
        expect(keysAfterOnboarding).toEqual(expect.arrayContaining(preExisting));
        const rotation = (rotated.output as unknown as VerifyOutput).rotation;
        expect(rotation).toMatchObject({ kind: 'staged', from: first });
        expect(stack.exchange.authConfig()).toMatchObject({ currentThumbprint: rotation?.to, previousThumbprint: null, nextThumbprint: null });
        expect(downtime).toEqual([]);
        expect(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)).toEqual(expect.arrayContaining(preExisting));
        // One PowerShell host per session of the agent's pool, each started once: the AuthServer and the push proxy ran side by side.
        const sessions = stack.powershell?.sessions() ?? [];
        expect(sessions.length).toBeGreaterThanOrEqual(2);
        expect(sessions.map((session) => session.starts)).toEqual(sessions.map(() => 1));
    }, 600_000);
});

describe('the Exchange shell fails in the middle of an onboarding', () => {
    it('recovers when the host hangs in Import-ExchangeCertificate and dies in Set-AuthConfig: timed out, restarted, retried, onboarded', async () => {
        // Prepare
        const { stack } = await powershellWorld(15_000);
        const channel = stack.powershell!.channel;
        channel.inject('Import-ExchangeCertificate', { kind: 'hang' });
        channel.inject('Set-AuthConfig', { kind: 'crash' });

        // Act
        const run = await onboard(stack);

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded' } });
        // Each session's host started once, and one of them again after the hang, and after the crash.
        const sessions = stack.powershell?.sessions() ?? [];
        expect(sessions.reduce((sum, session) => sum + session.starts, 0)).toBe(sessions.length + 2);
        expect(stack.exchange.missingLink()).toBeUndefined();
        for (const server of ['EX1', 'EX2']) expect(stack.exchange.certificatesOn(server)).toHaveLength(2);
    }, 600_000);
});
