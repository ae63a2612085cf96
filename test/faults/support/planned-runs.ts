import type { RunView, VerifyOutput } from '../../e2e/support/api';
import { onboard, verify } from '../../e2e/support/api';
import type { Scenario } from '../../../local/scenario/schema';
import { applyPlan, type FaultPlan } from './fault-plan';
import { startFaultWorld, type FaultWorld } from './fault-world';
import { healthyTenantViolations, safetyViolations, snapshotWorld, type WorldBefore } from './world-checks';

/** A run under a fault plan, its world still running (the caller stops it) and its verdict. */
export interface PlannedRun {
    readonly world: FaultWorld;
    readonly run: RunView;
    readonly before: WorldBefore;
    /** Wrong final state, lost or damaged credentials, leaked secrets: empty when the run was right. */
    readonly violations: readonly string[];
    /** Sends the relay failed or whose listener it dropped while the plan was in force. */
    readonly relayFailures: number;
    /** For a rotation, the certificate that was due (current before the run); null for an onboarding. */
    readonly dueThumbprint: string | null;
    /** Graph and Key Vault requests before the plan was applied (what the run under test made comes after). */
    readonly requestsBefore: { readonly graph: number; readonly keyVault: number };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A run that ended Failed must say where, why and what to do; when it should have succeeded, that it did not is itself the violation. */
function outcomeViolations(run: RunView, mustSucceed: boolean): string[] {
    if (run.runtimeStatus === 'Completed') return [];
    const error = run.error;
    const structured = error !== null && [error.step, error.code, error.message, error.remedy].every((field) => typeof field === 'string' && field.length > 0);
    return [
        ...(mustSucceed ? [`the run ended ${run.runtimeStatus}: ${JSON.stringify(error)}`] : []),
        ...(structured ? [] : [`the run ended ${run.runtimeStatus} without a structured error: ${JSON.stringify(error)}`]),
    ];
}

/** The request an administrator sends; in the reuse world, after confirming the on-premises OAuth certificate the dry run showed. */
function requestFor(world: FaultWorld, extra: { certificate?: Record<string, unknown> } = {}): Record<string, unknown> {
    const confirm = world.stack.scenario.name === 'faults-reuse-oauth-certificate' ? { confirmThumbprint: world.stack.exchange.thumbprintOf('oauth') } : {};
    return { keyTarget: world.stack.scenario.entra.keyTarget, ...extra, certificate: { ...extra.certificate, ...confirm } };
}

/** Counts sends the relay failed (refused, timed out) or whose listener it dropped. */
function countRelayFailures(world: FaultWorld): { count: () => number; stop: () => void } {
    let count = 0;
    const stop = world.stack.relay.onEvent((event) => {
        if ((event.type === 'relay-answered' && event.status >= 500) || event.type === 'listener-disconnected') count += 1;
    });
    return { count: () => count, stop };
}

async function underPlan(world: FaultWorld, plan: FaultPlan, act: () => Promise<RunView>): Promise<{ run: RunView; relayFailures: number; requestsBefore: PlannedRun['requestsBefore'] }> {
    const requestsBefore = { graph: world.stack.cloud.graph.requests.length, keyVault: world.stack.cloud.keyVault.requests.length };
    const relay = countRelayFailures(world);
    applyPlan(world.stack, world.shell, plan);
    const run = await act();
    relay.stop();
    return { run, relayFailures: relay.count(), requestsBefore };
}

/**
 * Onboards the scenario's tenant under `plan`. Completed runs must leave a healthy tenant; any run
 * must keep every earlier credential and publish nothing unregistered; nothing may leak a secret.
 */
export async function onboardWithPlan(scenario: Scenario, plan: FaultPlan, mustSucceed: boolean, prepare: (world: FaultWorld) => void = () => undefined): Promise<PlannedRun> {
    const world = await startFaultWorld(scenario, { atLeastOnce: plan.atLeastOnce });
    try {
        prepare(world);
        const before = snapshotWorld(world.stack);
        const { run, relayFailures, requestsBefore } = await underPlan(world, plan, () => onboard(world.stack, requestFor(world)));
        const thumbprint = world.stack.exchange.authConfig().currentThumbprint ?? '(none)';
        const violations = [
            ...outcomeViolations(run, mustSucceed),
            ...safetyViolations(world.stack, before),
            ...(run.runtimeStatus === 'Completed' ? await healthyTenantViolations(world.stack, before, thumbprint) : []),
            ...(await world.recorder.leaks()),
        ];
        return { world, run, before, violations, relayFailures, requestsBefore, dueThumbprint: null };
    } catch (error) {
        await world.stack.stop();
        throw error;
    }
}

/**
 * Brings the tenant to a certificate due for renewal, without faults (the premise, not the test): a
 * world configured by hand is onboarded reusing its certificate, then time moves 130 days on (17
 * days before that certificate expires); any other is onboarded with a one-month certificate from
 * Key Vault. Returns the thumbprint due.
 */
async function onboardedAndDue(world: FaultWorld, configuredByHand: boolean): Promise<string> {
    const onboarded = await onboard(world.stack, requestFor(world, configuredByHand ? {} : { certificate: { validityMonths: 1 } }));
    if (onboarded.runtimeStatus !== 'Completed') throw new Error(`the onboarding before the rotation ended ${onboarded.runtimeStatus}: ${JSON.stringify(onboarded.error)}`);
    if (configuredByHand) world.clock.advanceBy(130 * DAY_MS);
    return world.stack.exchange.authConfig().currentThumbprint ?? '(none)';
}

/**
 * Re-verifies a tenant whose certificate is due, under `plan`: a completed rotation must end with
 * the new certificate current everywhere and its key the product's only one, the old key removed
 * when the product had added it (a key registered by hand is kept like every earlier one); a
 * failed one must leave no damage.
 */
export async function rotateWithPlan(scenario: Scenario, configuredByHand: boolean, plan: FaultPlan, mustSucceed: boolean): Promise<PlannedRun> {
    const world = await startFaultWorld(scenario, { atLeastOnce: plan.atLeastOnce });
    try {
        const before = snapshotWorld(world.stack);
        const old = await onboardedAndDue(world, configuredByHand);
        const { run, relayFailures, requestsBefore } = await underPlan(world, plan, () => verify(world.stack, 'report'));
        const rotation = (run.output as VerifyOutput | null)?.rotation ?? null;
        const next = world.stack.exchange.authConfig().currentThumbprint ?? '(none)';
        const rotated = rotation?.from === old && rotation.to === next && next !== old ? [] : [`the rotation did not happen: ${JSON.stringify(rotation)}`];
        const violations = [
            ...outcomeViolations(run, mustSucceed),
            ...safetyViolations(world.stack, before),
            ...(run.runtimeStatus === 'Completed' ? [...rotated, ...(await healthyTenantViolations(world.stack, before, next, [old]))] : []),
            ...(await world.recorder.leaks()),
        ];
        return { world, run, before, violations, relayFailures, requestsBefore, dueThumbprint: old };
    } catch (error) {
        await world.stack.stop();
        throw error;
    }
}
