import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import type { LocalStack } from '../../local/stack/local-stack';
import { certificate } from '../integration/helpers/certificates';
import { api, onboard, waitForRun, type RunStarted, type RunView, type VerifyOutput } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

const CONCURRENT = 20;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Organizations beyond the scenario's own, each its own tenant domain and agent, all sharing the one key target. */
function organizations(count: number): { tenantDomain: string; hybridConnection: string }[] {
    return Array.from({ length: count }, (_, i) => ({ tenantDomain: `org${i}.example`, hybridConnection: `org${i}-exchange` }));
}

async function startOnboardings(world: LocalStack, orgs: readonly { tenantDomain: string; hybridConnection: string }[]): Promise<RunStarted[]> {
    const started: RunStarted[] = [];
    for (const organization of orgs) {
        const start = () => api<RunStarted>(world, 'POST', `tenants/${organization.tenantDomain}/onboard`, { agent: { hybridConnection: organization.hybridConnection } });
        let answer = await start();
        // 503 start_failed: the task hub did not take the start in time (a loaded machine); nothing started, so try again as the API says.
        for (let attempt = 1; answer.status === 503 && attempt < 3; attempt++) answer = await start();
        expect(answer.status).toBe(202);
        started.push(answer.body);
    }
    return started;
}

/** Thumbprints of the key target's credentials: a PATCH re-creates every kept credential under a new keyId, so keys are judged by certificate. */
function thumbprints(world: LocalStack): string[] {
    return world.cloud.graph
        .keyTargetCredentials()
        .map((credential) => credential.thumbprint)
        .sort();
}

function thumbprintOf(run: RunView): string {
    return (run.output as { certificate: { thumbprint: string } }).certificate.thumbprint;
}

describe('one writer per key target', () => {
    let stack: LocalStack | undefined;

    afterEach(async () => {
        await stack?.stop();
        stack = undefined;
    });

    it(`loses no key credential when ${CONCURRENT} onboardings register on one key target at once`, async () => {
        // Prepare
        const clock = new VirtualClock(undefined, { autoAdvance: false });
        stack = await startWorld(DEFAULT_SCENARIO, { clock, organizations: organizations(CONCURRENT) });
        const world = stack;
        const before = thumbprints(world);
        const started = await startOnboardings(world, organizations(CONCURRENT));

        // Act
        clock.setAutoAdvance(true);
        const runs: RunView[] = [];
        for (const run of started) runs.push(await waitForRun(world, run.instanceId));

        // Assess
        expect(runs.map((run) => run.error)).toEqual(Array(CONCURRENT).fill(null));
        expect(runs.map((run) => run.runtimeStatus)).toEqual(Array(CONCURRENT).fill('Completed'));
        const registered = runs.map(thumbprintOf);
        expect(new Set(registered).size).toBe(CONCURRENT);
        expect(thumbprints(world)).toEqual([...before, ...registered].sort());
        // Fewer PATCHes than registrations: queued changes were written together.
        expect(world.cloud.graph.patchBodies().length).toBeLessThan(CONCURRENT);
    }, 300_000);

    it('loses no key when a rotation registers and removes keys while six other organizations onboard', async () => {
        // Prepare: the scenario's tenant onboarded with a one-month certificate, 40 days ago (expired: rotated at once).
        const others = organizations(6);
        const clock = new VirtualClock();
        stack = await startWorld(DEFAULT_SCENARIO, { clock, organizations: others });
        const world = stack;
        const first = await onboard(world, { certificate: { validityMonths: 1 } });
        expect(first.runtimeStatus).toBe('Completed');
        const old = thumbprintOf(first);
        clock.advanceBy(40 * DAY_MS);
        const before = thumbprints(world);
        clock.setAutoAdvance(false);

        // Act
        const rotating = await api<RunStarted>(world, 'POST', `tenants/${world.scenario.tenant.domain}/verify`, {});
        const started = await startOnboardings(world, others);
        clock.setAutoAdvance(true);
        const rotation = await waitForRun(world, rotating.body.instanceId);
        const runs: RunView[] = [];
        for (const run of started) runs.push(await waitForRun(world, run.instanceId));

        // Assess
        expect(rotation.error).toBeNull();
        const rotated = (rotation.output as unknown as VerifyOutput).rotation;
        expect(rotated).toMatchObject({ kind: 'immediate', from: old });
        expect(runs.map((run) => run.runtimeStatus)).toEqual(Array(others.length).fill('Completed'));
        const expected = [...before.filter((thumbprint) => thumbprint !== old), rotated?.to ?? '', ...runs.map(thumbprintOf)].sort();
        expect(thumbprints(world)).toEqual(expected);
    }, 300_000);

    it('catches an outside write that replaces its PATCH between its read and its read-back, and writes again: both keys stay', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO, { clock: new VirtualClock() });
        const world = stack;
        const before = thumbprints(world);
        const outsider = certificate('outside-writer');
        world.cloud.graph.outsideWriterRacesNextWrite({
            keyId: '99999999-aaaa-4bbb-8ccc-000000000099',
            type: 'AsymmetricX509Cert',
            usage: 'Verify',
            key: outsider.derBase64,
            customKeyIdentifier: outsider.thumbprint,
            displayName: 'CN=added by an administrator meanwhile',
            startDateTime: outsider.notBefore.toISOString(),
            endDateTime: outsider.notAfter.toISOString(),
        });

        // Act
        const run = await onboard(world);

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(thumbprints(world)).toEqual([...before, outsider.thumbprint, thumbprintOf(run)].sort());
        // The first PATCH was replaced by the outside one; the read-back saw it and the write ran again.
        expect(world.cloud.graph.patchBodies()).toHaveLength(2);
    });
});
