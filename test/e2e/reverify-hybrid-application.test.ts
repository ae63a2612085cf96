import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard, verify, type VerifyOutput } from './support/api';
import { scenarioPath, startWorld } from './support/world';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The dedicated Exchange hybrid application the scenario's EvoSts AuthServer names. */
const HYBRID_APP_ID = '3c8e5a1f-7b2d-4e6a-9f0c-1d2e3f4a5b6c';

let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

/**
 * Onboards the hybrid organization with a one-month certificate (due for renewal from day one), then the administrator
 * gives the hybrid application that certificate too, as ConfigureExchangeHybridApplication.ps1 -UpdateCertificate does.
 */
async function hybridWorldDueForRotation(allowedAppIds: string): Promise<{ world: LocalStack; clock: VirtualClock; thumbprint: string }> {
    const clock = new VirtualClock();
    const world = await startWorld(scenarioPath('hybrid-evosts'), { clock, appSettings: { PPO_KEY_TARGET_APP_IDS: allowedAppIds } });
    stack = world;
    const run = await onboard(world, { certificate: { validityMonths: 1 } });
    expect(run.runtimeStatus).toBe('Completed');
    const thumbprint = (run.output as { certificate: { thumbprint: string } }).certificate.thumbprint;
    const der = world.cloud.graph.keyTarget()?.keyCredentials.find((k) => world.cloud.graph.keyTargetCredentials().find((v) => v.keyId === k.keyId)?.thumbprint === thumbprint)?.key;
    if (der === undefined) throw new Error('the onboarded key is not on the key target');
    world.cloud.graph.uploadCertificate(HYBRID_APP_ID, der, 'CN=Exchange hybrid (ConfigureExchangeHybridApplication)');
    return { world, clock, thumbprint };
}

const thumbprints = (world: LocalStack, appId?: string) =>
    (appId === undefined ? world.cloud.graph.keyTargetCredentials() : world.cloud.graph.applicationCredentials(appId)).map((k) => k.thumbprint);

describe('rotation with a dedicated Exchange hybrid application', () => {
    it.each([
        { kind: 'staged', daysLater: 0 },
        { kind: 'immediate', daysLater: 40 },
    ])('$kind: registers the new key on the service principal and the allowed hybrid application before publishing, and removes the old key from both', async ({ kind, daysLater }) => {
        // Prepare
        const { world, clock, thumbprint: old } = await hybridWorldDueForRotation(HYBRID_APP_ID);
        clock.advanceBy(daysLater * DAY_MS);
        const snapshots: { current: string | null; servicePrincipal: string[]; hybrid: string[] }[] = [];
        const stopRelay = world.relay.onEvent((event) => {
            if (event.type === 'exchange-completed') {
                snapshots.push({ current: world.exchange.authConfig().currentThumbprint, servicePrincipal: thumbprints(world), hybrid: thumbprints(world, HYBRID_APP_ID) });
            }
        });

        // Act
        const run = await verify(world, 'report');
        stopRelay();

        // Assess
        const output = run.output as unknown as VerifyOutput;
        expect(run.error).toBeNull();
        const next = output.rotation?.to ?? '';
        const firstPublished = snapshots.find((s) => s.current === next);
        expect(firstPublished).toMatchObject({ servicePrincipal: expect.arrayContaining([next]) as string[], hybrid: expect.arrayContaining([next]) as string[] });
        for (const keys of [thumbprints(world), thumbprints(world, HYBRID_APP_ID)]) {
            expect(keys).toContain(next);
            expect(keys).not.toContain(old);
        }
        expect(world.exchange.authConfig().currentThumbprint).toBe(next);
        expect(output.rotation).toMatchObject({ kind, from: old, notUpdated: [], hybridApplications: [{ appId: HYBRID_APP_ID, keptKeyId: null, removedKeyId: expect.any(String) as string }] });
        expect(output.checks.find((c) => c.id === 'rotation')).toMatchObject({ state: 'repaired', detail: expect.stringContaining(`gave the new key to the dedicated hybrid application ${HYBRID_APP_ID}`) as string });
    });

    it('writes nothing to a hybrid application missing from PPO_KEY_TARGET_APP_IDS and names the command that gives it the new key', async () => {
        // Prepare
        const { world, thumbprint: old } = await hybridWorldDueForRotation('');
        const hybridBefore = world.cloud.graph.applicationCredentials(HYBRID_APP_ID);

        // Act
        const run = await verify(world, 'report');

        // Assess
        const output = run.output as unknown as VerifyOutput;
        const next = output.rotation?.to ?? '';
        expect(output.rotation).toMatchObject({ from: old, hybridApplications: [] });
        expect(output.checks.find((c) => c.id === 'rotation')).toMatchObject({
            state: 'failed',
            detail: expect.stringContaining(`.\\ConfigureExchangeHybridApplication.ps1 -UpdateCertificate -CertificateMethod Thumbprint -CertificateInformation ${next}`) as string,
        });
        expect(world.cloud.graph.applicationCredentials(HYBRID_APP_ID)).toEqual(hybridBefore);
        expect(world.cloud.graph.requests.filter((r) => r.path.includes('/applications'))).toEqual([]);
        expect(thumbprints(world)).toContain(next);
    });
});
