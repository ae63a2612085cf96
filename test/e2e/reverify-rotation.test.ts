import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { loadScenarioFile } from '../../local/scenario/schema';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, checkStates, onboard, verify, waitForRun, type VerifyOutput } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An organization configured by hand as the article describes: its OAuth certificate's key was registered by an administrator. */
const CONFIGURED_BY_HAND = join(__dirname, '..', 'faults', 'scenarios', 'configured-by-hand.json');

let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

/** Onboards with a one-month certificate: inside the 60-day renewal window from day one. */
async function onboardedWithShortCertificate(): Promise<{ stack: LocalStack; clock: VirtualClock; thumbprint: string; keyId: string }> {
    const clock = new VirtualClock();
    stack = await startWorld(DEFAULT_SCENARIO, { clock });
    const run = await onboard(stack, { certificate: { validityMonths: 1 } });
    expect(run.runtimeStatus).toBe('Completed');
    const output = run.output as { certificate: { thumbprint: string }; keyCredentials: { keyId: string } };
    return { stack, clock, thumbprint: output.certificate.thumbprint, keyId: output.keyCredentials.keyId };
}

/** Records, whenever time moves or the agent answers, every moment the world's probe would fail. */
function watchProbe(world: LocalStack, clock: VirtualClock): { failures: string[]; stop: () => void } {
    const failures: string[] = [];
    const check = () => {
        for (const server of ['EX1', 'EX2']) {
            const link = world.exchange.missingLink(server);
            if (link) failures.push(`${new Date(clock.now()).toISOString()} ${server}: ${link.error}`);
        }
    };
    const stopClock = clock.onAdvance(check);
    const stopRelay = world.relay.onEvent((event) => {
        if (event.type === 'exchange-completed') check();
    });
    return { failures, stop: () => (stopClock(), stopRelay()) };
}

describe('certificate rotation', () => {
    it('rotates a certificate 30 days from expiry across the 48 h stage, with no moment of downtime', async () => {
        // Prepare
        const world = await onboardedWithShortCertificate();
        const started = world.clock.now();
        const watch = watchProbe(world.stack, world.clock);

        // Act
        const run = await verify(world.stack, 'report');
        watch.stop();

        // Assess
        const output = run.output as unknown as VerifyOutput;
        expect(run.error).toBeNull();
        expect(output.rotation).toMatchObject({ kind: 'staged', from: world.thumbprint, removedKeyId: world.keyId });
        const next = output.rotation?.to ?? '';
        expect(world.stack.exchange.authConfig()).toMatchObject({ currentThumbprint: next, previousThumbprint: null, nextThumbprint: null });
        expect(world.clock.now() - started).toBeGreaterThanOrEqual(48 * 60 * 60 * 1000);
        expect(watch.failures).toEqual([]);
        const keys = world.stack.cloud.graph.keyTargetCredentials();
        expect(keys.map((k) => k.thumbprint)).not.toContain(world.thumbprint);
        expect(keys.filter((k) => k.thumbprint !== next)).toHaveLength(2);
        expect(keys.filter((k) => k.thumbprint === next)).toHaveLength(1);
        for (const server of ['EX1', 'EX2']) expect(world.stack.exchange.certificatesOn(server).map((c) => c.thumbprint)).toContain(next);
        const commands = world.stack.exchange.commandLog();
        const published = commands.findLastIndex((c) => c.cmdlet === 'Set-AuthConfig -PublishCertificate');
        const restartedAfter = commands.slice(published).filter((c) => /^Restart-(Service MSExchangeServiceHost|WebAppPool)/.test(c.cmdlet));
        expect(restartedAfter.map((c) => `${c.server ?? ''} ${c.cmdlet}`)).toEqual(
            ['EX1', 'EX2'].flatMap((server) => ['Restart-Service MSExchangeServiceHost', 'Restart-WebAppPool MSExchangeOWAAppPool', 'Restart-WebAppPool MSExchangeECPAppPool'].map((c) => `${server} ${c}`)),
        );
        const tenant = await api<{ tenant: { certificate: { thumbprint: string } } }>(world.stack, 'GET', 'tenants/contoso.com');
        expect(tenant.body.tenant.certificate.thumbprint).toBe(next);
    });

    it('removes the old key only after the new certificate is published and the old one cleared', async () => {
        // Prepare
        const world = await onboardedWithShortCertificate();
        const order: string[] = [];
        const snapshot = () => {
            const config = world.stack.exchange.authConfig();
            const oldKeyPresent = world.stack.cloud.graph.keyTargetCredentials().some((k) => k.thumbprint === world.thumbprint);
            order.push(`${config.currentThumbprint === world.thumbprint ? 'old-current' : 'new-current'}|${config.previousThumbprint === null ? 'no-previous' : 'previous'}|${oldKeyPresent ? 'old-key' : 'no-old-key'}`);
        };
        const stopRelay = world.stack.relay.onEvent((event) => {
            if (event.type === 'exchange-completed') snapshot();
        });

        // Act
        await verify(world.stack, 'report');
        stopRelay();
        snapshot();

        // Assess
        const firstWithoutOldKey = order.findIndex((entry) => entry.endsWith('no-old-key'));
        expect(firstWithoutOldKey).toBeGreaterThan(0);
        expect(order.slice(0, firstWithoutOldKey).some((entry) => entry.startsWith('old-current'))).toBe(true);
        expect(order.slice(0, firstWithoutOldKey).some((entry) => entry === 'new-current|previous|old-key')).toBe(true);
        expect(order.slice(firstWithoutOldKey).every((entry) => entry.startsWith('new-current|no-previous'))).toBe(true);
    });

    it('replaces an already expired certificate at once', async () => {
        // Prepare
        const world = await onboardedWithShortCertificate();
        world.clock.advanceBy(40 * DAY_MS);

        // Act
        const run = await verify(world.stack, 'report');

        // Assess
        const output = run.output as unknown as VerifyOutput;
        expect(run.error).toBeNull();
        expect(output.rotation).toMatchObject({ kind: 'immediate', from: world.thumbprint });
        expect(checkStates(run)).toMatchObject({ rotation: 'repaired', keyCredential: 'repaired', certificateOnServers: 'ok' });
        expect(world.stack.exchange.authConfig().currentThumbprint).toBe(output.rotation?.to);
        expect(['EX1', 'EX2'].map((server) => world.stack.exchange.missingLink(server))).toEqual([undefined, undefined]);
    });

    it('keeps the key credential of a certificate registered by hand, and says so, instead of failing the rotation', async () => {
        // Prepare
        const clock = new VirtualClock();
        stack = await startWorld(await loadScenarioFile(CONFIGURED_BY_HAND), { clock });
        expect((await onboard(stack)).runtimeStatus).toBe('Completed');
        const due = stack.exchange.authConfig().currentThumbprint;
        const handKey = stack.cloud.graph.keyTargetCredentials().find((k) => k.thumbprint === due)?.keyId;
        clock.advanceBy(130 * DAY_MS);

        // Act
        const run = await verify(stack, 'report');

        // Assess
        const output = run.output as unknown as VerifyOutput;
        expect(run.runtimeStatus).toBe('Completed');
        expect(output.rotation).toMatchObject({ kind: 'staged', from: due, removedKeyId: null, keptKeyId: handKey });
        expect(output.checks.find((c) => c.id === 'rotation')?.detail).toContain(`kept key credential ${handKey ?? '?'}`);
        expect(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)).toContain(due);
        expect(stack.exchange.authConfig().currentThumbprint).toBe(output.rotation?.to);
    });

    it('survives a restart of the Functions host in the middle of the 48 h stage', async () => {
        // Prepare
        const world = await onboardedWithShortCertificate();
        world.clock.setAutoAdvance(false);
        const started = await api<{ instanceId: string }>(world.stack, 'POST', 'tenants/contoso.com/verify', {});
        for (let i = 0; i < 400 && world.stack.exchange.authConfig().nextThumbprint === null; i++) {
            await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(world.stack.exchange.authConfig().nextThumbprint).not.toBeNull();

        // Act
        await world.stack.restartHost();
        world.clock.setAutoAdvance(true);
        const run = await waitForRun(world.stack, started.body.instanceId);

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        const output = run.output as unknown as VerifyOutput;
        expect(world.stack.exchange.authConfig()).toMatchObject({ currentThumbprint: output.rotation?.to, previousThumbprint: null });
        expect(world.stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)).not.toContain(world.thumbprint);
        for (const server of ['EX1', 'EX2']) {
            expect(world.stack.exchange.certificatesOn(server).filter((c) => c.thumbprint === output.rotation?.to)).toHaveLength(1);
        }
    });
});
