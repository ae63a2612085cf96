import { describe, expect, it } from 'vitest';
import { EventType, type HistoryEvent } from '../../local/host';
import type { OrchestratorAction, RetryOptionsWire } from '../../local/host/durable/orchestrator-state';
import { replayActions, type ReplayOutcome } from '../../local/host/durable/replay-shim';
import { nextRetryDelayMs } from '../../local/host/durable/retry-policy';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();
const base = (ms: number) => ({ EventId: -1, IsPlayed: true, Timestamp: at(ms) });

const started = (ms: number): HistoryEvent => ({ ...base(ms), EventType: EventType.OrchestratorStarted });
const completedEpisode = (ms: number): HistoryEvent => ({ ...base(ms), EventType: EventType.OrchestratorCompleted });
const execution: HistoryEvent = { ...base(0), EventType: EventType.ExecutionStarted, Name: 'orch', Input: null, Version: '' };
const scheduled = (id: number, name: string, ms = 0): HistoryEvent => ({ ...base(ms), EventId: id, EventType: EventType.TaskScheduled, Name: name, Input: null });
const completed = (id: number, ms: number): HistoryEvent => ({ ...base(ms), EventType: EventType.TaskCompleted, TaskScheduledId: id, Result: 'null' });
const failed = (id: number, ms: number): HistoryEvent => ({ ...base(ms), EventType: EventType.TaskFailed, TaskScheduledId: id, Reason: 'boom', Details: '' });
const timerCreated = (id: number, fireAtMs: number, ms: number): HistoryEvent => ({ ...base(ms), EventId: id, EventType: EventType.TimerCreated, FireAt: at(fireAtMs) });
const timerFired = (id: number, ms: number): HistoryEvent => ({ ...base(ms), EventType: EventType.TimerFired, TimerId: id, FireAt: at(ms) });

const retry: RetryOptionsWire = { firstRetryIntervalInMilliseconds: 1_000, maxNumberOfAttempts: 3 };
const activity = (name: string, withRetry?: RetryOptionsWire): OrchestratorAction => ({ kind: 'callActivity', functionName: name, input: null, retry: withRetry });
const whenAll = (...children: OrchestratorAction[]): OrchestratorAction => ({ kind: 'whenAll', children });

function replay(history: HistoryEvent[], actions: OrchestratorAction[], known: readonly string[] = ['A', 'B', 'C']): ReplayOutcome {
    return replayActions({
        orchestrationName: 'orch',
        instanceId: 'orch-1',
        parentInstanceId: undefined,
        history,
        actions,
        maximumShortTimerMs: 6 * 24 * 3600_000,
        longTimerIntervalMs: 3 * 24 * 3600_000,
        functionExists: (name) => known.includes(name),
    });
}

describe('replaying orchestrator actions against the history (the extension side)', () => {
    it.each([
        ['the first activity of a new instance', [started(0), execution], [activity('A')], [{ kind: 'activity', name: 'A', input: null, id: 0 }]],
        [
            'a retry timer after a failed attempt, firstRetryInterval after the failure',
            [started(0), execution, scheduled(0, 'A'), completedEpisode(0), started(500), failed(0, 500)],
            [activity('A', retry)],
            [{ kind: 'timer', fireAt: T0 + 1_500, retry: { functionName: 'A', failedAttempt: 1, of: 3, waitMs: 1_000 }, id: 1 }],
        ],
        [
            'the next attempt once the retry timer fired',
            [started(0), execution, scheduled(0, 'A'), completedEpisode(0), started(500), failed(0, 500), timerCreated(1, 1_500, 500), completedEpisode(500), started(1_500), timerFired(1, 1_500)],
            [activity('A', retry)],
            [{ kind: 'activity', name: 'A', input: null, id: 2 }],
        ],
        [
            'nothing after Task.all until all its tasks ended, as .NET Task.WhenAll (one failed, one still running)',
            [started(0), execution, scheduled(0, 'A'), scheduled(1, 'B'), completedEpisode(0), started(10), failed(0, 10)],
            [whenAll(activity('A'), activity('B')), activity('C')],
            [],
        ],
        [
            'the next action once every task of Task.all ended',
            [started(0), execution, scheduled(0, 'A'), scheduled(1, 'B'), completedEpisode(0), started(10), failed(0, 10), completed(1, 10)],
            [whenAll(activity('A'), activity('B')), activity('C')],
            [{ kind: 'activity', name: 'C', input: null, id: 2 }],
        ],
    ])('schedules %s', (_label, history, actions, expected) => {
        // Act
        const outcome = replay(history, actions);

        // Assess
        expect(outcome.problem).toBeUndefined();
        expect(outcome.decisions).toEqual(expected);
    });

    it.each([
        ['a different activity at the same sequence number', [started(0), execution, scheduled(0, 'A')], [activity('B')], "the orchestrator now schedules activity 'B' as task #0, but its history has TaskScheduled 'A' there"],
        ['an activity where the history has a timer', [started(0), execution, timerCreated(0, 1_000, 0)], [activity('A')], "activity 'A' as task #0, but its history has TimerCreated"],
        ['an action the orchestrator no longer takes', [started(0), execution, scheduled(0, 'A'), completed(0, 5)], [], "its history has TaskScheduled 'A' as task #0, which the orchestrator no longer schedules"],
    ])('reports non-determinism for %s', (_label, history, actions, detail) => {
        // Act
        const outcome = replay(history, actions);

        // Assess
        expect(outcome.problem).toContain("Non-deterministic orchestration 'orch'");
        expect(outcome.problem).toContain(detail);
    });

    it('refuses to schedule an activity the app does not have, which Azure would leave waiting (DurableTaskExtension.cs ThrowIfFunctionDoesNotExist, durable-js#197)', () => {
        // Act
        const outcome = replay([started(0), execution], [activity('Missing')]);

        // Assess
        expect(outcome.problem).toBeUndefined();
        expect(outcome.wouldWaitForever).toContain("it calls the function 'Missing', which doesn't exist, is disabled, or is not an activity function");
    });

    it('completes a wait at once from an event that arrived before it', () => {
        // Prepare
        const raised: HistoryEvent = { ...base(0), EventType: EventType.EventRaised, Name: 'go', Input: '1' };

        // Act
        const outcome = replay([started(0), execution, raised], [{ kind: 'waitForExternalEvent', name: 'go' }, activity('A')]);

        // Assess
        expect(outcome.decisions).toEqual([{ kind: 'activity', name: 'A', input: null, id: 0 }]);
    });
});

describe('retry delays (DurableTask.Core RetryInterceptor)', () => {
    it.each([
        ['the first interval first', { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 5, backoffCoefficient: 2 }, 0, 0, 5_000],
        ['first * coefficient^n', { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 5, backoffCoefficient: 2 }, 2, 0, 20_000],
        ['capped at maxRetryInterval', { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 5, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 15_000 }, 2, 0, 15_000],
        ['a constant interval by default', { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 5 }, 3, 0, 5_000],
        ['zero once retryTimeout has passed', { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 5, retryTimeoutInMilliseconds: 10_000 }, 1, 10_000, 0],
    ])('gives %s', (_label, options: RetryOptionsWire, retryCount, elapsed, expected) => {
        // Act
        const delay = nextRetryDelayMs(options, retryCount, T0, T0 + elapsed);

        // Assess
        expect(delay).toBe(expected);
    });
});
