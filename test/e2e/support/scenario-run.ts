import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredKeyCredential } from '../../../local/graph/directory-state';
import type { LocalStack, LocalStackOptions } from '../../../local/stack/local-stack';
import type { LogRecord } from '../../../lib/logger';
import { onboard, type RunView } from './api';
import { expectedWorld, scenarioCase, type ScenarioCase, type StepStates } from './scenarios';
import { scenarioPath, startWorld } from './world';
import { sameCertificate, storedKeyCredentials, worldState } from './world-state';

export interface ScenarioRun {
    readonly stack: LocalStack;
    readonly run: RunView;
    readonly scenarioCase: ScenarioCase;
    /** The key target's credentials as stored before the run. */
    readonly keyCredentialsBefore: readonly StoredKeyCredential[];
    /** Activity executions the host delivered a second time (at-least-once mode). */
    readonly duplicateDeliveries: number;
}

const DUPLICATE_DELIVERY = 'At-least-once delivery: executing the activity a second time.';

/**
 * Registers hooks that start the world of test/scenarios/<name>.json before the suite's tests,
 * onboard its tenant once over HTTP, and stop the world after. Returns the run's accessor.
 */
export function onboardScenario(name: string, options: Partial<LocalStackOptions> = {}): () => ScenarioRun {
    let result: ScenarioRun | undefined;
    let stack: LocalStack | undefined;
    beforeAll(async () => {
        let duplicates = 0;
        const logSink = (record: LogRecord): void => {
            if (record.message === DUPLICATE_DELIVERY) duplicates++;
        };
        stack = await startWorld(scenarioPath(name), { logSink, ...options });
        const keyCredentialsBefore = storedKeyCredentials(stack);
        const expected = scenarioCase(name);
        // A certificate found on premises is reused only with its thumbprint confirmed, as an administrator does after the dry run.
        const reused = expected.certificate === null || expected.certificate === 'created' ? undefined : stack.exchange.thumbprintOf(expected.certificate);
        const run = await onboard(stack, reused === undefined ? {} : { certificate: { confirmThumbprint: reused } });
        result = { stack, run, scenarioCase: expected, keyCredentialsBefore, duplicateDeliveries: duplicates };
    });
    afterAll(async () => {
        await stack?.stop();
    });
    return () => {
        if (result === undefined) throw new Error(`the world of ${name} did not start`);
        return result;
    };
}

export function stepStates(run: RunView): StepStates {
    return Object.fromEntries(run.steps.map((s) => [s.id, s.state])) as StepStates;
}

/** The checks every scenario shares: how the run ended, its step table, and the final state of the world. */
export function itEndsInTheExpectedWorld(get: () => ScenarioRun): void {
    it('ends as the scenario expects, with the expected step table', () => {
        // Prepare
        const { run, scenarioCase: expected } = get();

        // Assess
        expect({ runtimeStatus: run.runtimeStatus, steps: stepStates(run) }).toEqual({ runtimeStatus: expected.runtimeStatus, steps: expected.steps });
    });

    it('leaves Exchange, the key target and the Key Vault in the expected state, the certificate of every earlier key credential kept', () => {
        // Prepare
        const { stack, scenarioCase: expected, keyCredentialsBefore } = get();

        // Act
        const world = worldState(stack, keyCredentialsBefore);
        const stored = storedKeyCredentials(stack);
        const lost = keyCredentialsBefore.filter((earlier) => sameCertificate(stored, earlier) === undefined);

        // Assess
        expect(world).toEqual(expectedWorld(stack.scenario, expected));
        expect(lost).toEqual([]);
    });
}
