import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONBOARDING_DEPENDENCIES, type OnboardingDependency } from '../../lib/contracts/onboarding-dependencies';
import { EventType, type HistoryEvent } from '../../local/host';
import { requestIdOf } from '../../local/host/durable/entities/entity-messages';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

/**
 * The orchestrator against the dependencies it declares (lib/contracts/onboarding-dependencies.ts,
 * the benchmark's lower bound): every step starts in the very episode in which the last step it
 * declares to depend on finished. A step started later waits on something the declaration does not
 * list (the lower bound would then be too low); a step started earlier does not depend on what the
 * declaration says.
 */

/** Episodes of a history, in order: each OrchestratorStarted begins one. */
function episodeOf(history: readonly HistoryEvent[]): (index: number) => number {
    const starts = history.flatMap((event, index) => (event.EventType === EventType.OrchestratorStarted ? [index] : []));
    return (index) => starts.filter((start) => start <= index).length - 1;
}

/** For each step: the episode that scheduled its first activity, and the episode in which its last activity or timer finished. */
function stepEpisodes(history: readonly HistoryEvent[]): Map<string, { started?: number; finished: number }> {
    const episode = episodeOf(history);
    const scheduled = new Map<number, { name: string; index: number }>();
    history.forEach((event, index) => {
        if (event.EventType === EventType.TaskScheduled) scheduled.set(event.EventId, { name: event.Name, index });
    });
    const steps = new Map<string, { started?: number; finished: number }>();
    const stepOfActivity = (name: string): OnboardingDependency | undefined => ONBOARDING_DEPENDENCIES.find((d) => d.activities?.includes(name));
    // An entity's instance id is `@<name in lower case>@<key>` (durable-functions EntityId.getSchedulerIdFromEntityId).
    const stepOfEntity = (instanceId: string): OnboardingDependency | undefined =>
        ONBOARDING_DEPENDENCIES.find((d) => d.entity !== undefined && instanceId.startsWith(`@${d.entity.toLowerCase()}@`));
    const settleAfter = { restartedIn: -1 };
    const answeredBy = new Map<string, OnboardingDependency>();
    history.forEach((event, index) => {
        if (event.EventType === EventType.TaskScheduled) {
            const dependency = stepOfActivity(event.Name);
            if (dependency !== undefined && dependency.entity === undefined && dependency.activities?.[0] === event.Name && !steps.get(dependency.step)?.started) steps.set(dependency.step, { started: episode(index), finished: -1 });
        }
        if (event.EventType === EventType.EventSent) {
            const dependency = stepOfEntity(event.InstanceId);
            if (dependency === undefined) return;
            if (!steps.get(dependency.step)?.started) steps.set(dependency.step, { started: episode(index), finished: -1 });
            const requestId = requestIdOf(event);
            if (requestId !== undefined) answeredBy.set(requestId, dependency);
        }
        // The entity's answers (and lock grants) arrive as EventRaised named by the request id: the step ends with its last.
        if (event.EventType === EventType.EventRaised) {
            const dependency = answeredBy.get(event.Name);
            const known = dependency === undefined ? undefined : steps.get(dependency.step);
            if (dependency !== undefined && known !== undefined) steps.set(dependency.step, { ...known, finished: Math.max(known.finished, episode(index)) });
        }
        if (event.EventType === EventType.TaskCompleted) {
            const name = scheduled.get(event.TaskScheduledId)?.name ?? '';
            const dependency = stepOfActivity(name);
            if (dependency === undefined) return;
            const known = steps.get(dependency.step) ?? { finished: -1 };
            steps.set(dependency.step, { ...known, finished: Math.max(known.finished, episode(index)) });
            if (dependency.step === 'restartHealthManager') settleAfter.restartedIn = episode(index);
        }
        if (event.EventType === EventType.TimerFired && settleAfter.restartedIn >= 0 && !steps.has('settle')) steps.set('settle', { finished: episode(index) });
    });
    // Decisions take no episode of their own: they finish with the last step they depend on.
    for (const dependency of ONBOARDING_DEPENDENCIES.filter((d) => d.kind === 'decision')) {
        steps.set(dependency.step, { finished: Math.max(...dependency.after.map((step) => steps.get(step)?.finished ?? -1)) });
    }
    return steps;
}

let stack: LocalStack;
let history: readonly HistoryEvent[];

beforeAll(async () => {
    stack = await startWorld(DEFAULT_SCENARIO);
    const run = await onboard(stack);
    if (run.runtimeStatus !== 'Completed') throw new Error(`the onboarding ended ${run.runtimeStatus}`);
    history = stack.host.store.get(run.instanceId)?.history ?? [];
}, 120_000);

afterAll(async () => {
    await stack.stop();
});

describe('onboarding against its declared dependencies (an organization without an OAuth certificate)', () => {
    it.each(ONBOARDING_DEPENDENCIES.filter((d) => d.activities !== undefined).map((d) => [d.step, d]))('starts %s as soon as what it depends on has finished', (_step, dependency) => {
        // Act
        const steps = stepEpisodes(history);

        // Assess
        const ready = Math.max(0, ...dependency.after.map((step) => steps.get(step)?.finished ?? Number.NaN));
        expect({ step: dependency.step, startedInEpisode: steps.get(dependency.step)?.started }).toEqual({ step: dependency.step, startedInEpisode: ready });
    });
});
