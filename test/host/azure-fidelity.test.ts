import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { EventType } from '../../local/host';
import { startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';
import { eventsOfType, output, record } from './support/history';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3_600_000;
const WOULD_WAIT = 'on Azure this instance would wait forever because';

describe('the local host behaves as Durable Functions on Azure', () => {
    let fixture: FixtureHost | undefined;

    afterEach(async () => {
        await fixture?.host.stop();
        fixture = undefined;
    });

    let clock = new VirtualClock(START);

    async function virtualHost(autoAdvance = true): Promise<FixtureHost> {
        clock = new VirtualClock(START, { autoAdvance });
        fixture = await startFixtureHost({ clock });
        return fixture;
    }

    // Azure/durabletask TaskOrchestrationDispatcher.cs drops an ExecutionStarted for an instance that has one
    // ("Duplicate start event"); OrchestrationSessionManager.cs de-duplicates only top-level starts.
    it('drops a sub-orchestration start for a running instance and stops the parent and its parent loudly, as no failure would ever reach them', async () => {
        // Prepare
        const { host } = await virtualHost();
        await startOrchestration(host, 'holdsOpen', undefined, 'busy-child');
        await host.whenIdle();

        // Act
        await startOrchestration(host, 'waitsForStarter', 'busy-child', 'grandparent');
        await host.whenIdle();

        // Assess
        const starter = record(host, 'grandparent:starter');
        expect(starter.runtimeStatus).toBe('Failed');
        expect(starter.output).toContain(`${WOULD_WAIT} its sub-orchestration start for 'busy-child' (holdsOpen) is dropped as a duplicate: an instance with that id is Running`);
        // No orchestrator code saw a failure it could catch: the grandparent is stopped, not handed an error.
        const grandparent = record(host, 'grandparent');
        expect(grandparent.runtimeStatus).toBe('Failed');
        expect(grandparent.output).toContain(`${WOULD_WAIT} it waits for its sub-orchestration 'grandparent:starter'`);
        expect(record(host, 'busy-child').runtimeStatus).toBe('Running');
        expect(record(host, 'busy-child').parent).toBeUndefined();
    });

    // Azure/azure-functions-durable-extension DurableOrchestrationContext.cs SetCustomStatus → MessagePayloadDataConverter.cs Serialize(value, 16).
    it.each([
        ['8 703 characters of JSON (16 KB in UTF-16, truncated)', 8_701, 'Completed', '"done"', 8_703],
        [
            '8 704 characters of JSON (17 KB in UTF-16)',
            8_702,
            'Failed',
            "Orchestrator function 'largeStatus' failed: The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.",
            undefined,
        ],
    ])('takes a custom status of %s as the extension does', async (_label, chars, status, result, statusLength) => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'largeStatus', chars, `status-${chars}`);
        await host.whenIdle();

        // Assess
        const instance = record(host, `status-${chars}`);
        expect(instance.runtimeStatus).toBe(status);
        expect(instance.output).toBe(result);
        expect(instance.customStatus?.length).toBe(statusLength);
    });

    // Azure/azure-functions-durable-extension TaskOrchestrationShim.cs ParseOOProcResult (JObject.Parse: DateParseHandling.DateTime)
    // and MessagePayloadDataConverter.cs (round-trip date format).
    it('hands an activity its ISO-8601 strings reformatted as the extension writes them, and its result likewise', async () => {
        // Prepare
        const { host } = await virtualHost();

        // Act
        await startOrchestration(host, 'passesDates', undefined, 'dates');
        await host.whenIdle();

        // Assess
        const result = output(host, 'dates') as { received: Record<string, string>; sameText: boolean; sameInstant: boolean };
        expect(result.received).toEqual({ utc: '2026-01-05T09:00:00Z', offset: '2026-01-05T18:00:00.34+09:00', text: 'released 2026-01-05T09:00:00.000Z' });
        expect(result.sameText).toBe(false);
        expect(result.sameInstant).toBe(true);
        const scheduled = eventsOfType(record(host, 'dates').history, EventType.TaskScheduled)[0];
        expect(scheduled?.Input).toContain('"utc":"2026-01-05T09:00:00Z"');
    });

    // Azure/durabletask TaskOrchestrationExecutor.cs ExecuteCore: `if (!this.context.HasOpenTasks)` before completing.
    it.each([
        ['stays Running until its uncanceled timer fires', false, 'Running', 'Completed'],
        ['completes at once when it canceled the timer', true, 'Completed', 'Completed'],
    ])('an orchestration that returns while its timer is pending %s', async (_label, cancel, beforeTimer, afterTimer) => {
        // Prepare
        const { host } = await virtualHost(false);

        // Act
        await startOrchestration(host, 'racesTimer', cancel, `race-${String(cancel)}`);
        await host.whenIdle();
        const statusBeforeTimer = record(host, `race-${String(cancel)}`).runtimeStatus;
        clock.advanceBy(HOUR);
        await host.whenIdle();

        // Assess
        expect(statusBeforeTimer).toBe(beforeTimer);
        expect(record(host, `race-${String(cancel)}`).runtimeStatus).toBe(afterTimer);
        expect(output(host, `race-${String(cancel)}`)).toEqual({ won: 'activity', at: new Date(START).toISOString() });
    });

    describe('status API (Azure/azure-functions-durable-extension DurableClient.cs, HttpApiHandler.cs; Azure/durabletask AzureTableTrackingStore.cs)', () => {
        async function status(host: FixtureHost['host'], instanceId: string, query = ''): Promise<Record<string, unknown>> {
            const response = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}?code=test-function-key${query}`);
            return (await response.json()) as Record<string, unknown>;
        }

        it('shows the createdTime of the last generation after continue-as-new', async () => {
            // Prepare
            const { host } = await virtualHost();

            // Act
            await startOrchestration(host, 'twoGenerations', 0, 'generations');
            await host.whenIdle();

            // Assess
            expect(await status(host, 'generations')).toMatchObject({ runtimeStatus: 'Completed', createdTime: '2026-01-05T10:00:00Z' });
        });

        it('reads a custom status set back to null as null', async () => {
            // Prepare
            const { host } = await virtualHost();

            // Act
            await startOrchestration(host, 'clearsStatus', undefined, 'cleared');
            await host.whenIdle();

            // Assess
            expect(await status(host, 'cleared')).toMatchObject({ runtimeStatus: 'Completed', customStatus: null });
        });

        it('shows history items with their Input when asked', async () => {
            // Prepare
            const { host } = await virtualHost();
            await startOrchestration(host, 'passesDates', undefined, 'with-inputs');
            await host.whenIdle();

            // Act
            const shown = await status(host, 'with-inputs', '&showHistory=true&showInput=true');
            const hidden = await status(host, 'with-inputs', '&showHistory=true&showInput=false');

            // Assess
            const completion = (shown.historyEvents as Record<string, unknown>[]).find((item) => item.EventType === 'TaskCompleted');
            expect(completion).toMatchObject({ FunctionName: 'echo' });
            expect(String(completion?.Input)).toContain('"utc":"2026-01-05T09:00:00Z"');
            expect((hidden.historyEvents as Record<string, unknown>[]).some((item) => 'Input' in item)).toBe(false);
        });

        it('gives a parent the failed sub-orchestration\'s details as "Message: …, StackTrace: …" (OutOfProcOrchestrationShim.cs)', async () => {
            // Prepare
            const { host } = await virtualHost();

            // Act
            await startOrchestration(host, 'reportsChildFailure', undefined, 'reports');
            await host.whenIdle();

            // Assess
            const message = output(host, 'reports') as string;
            expect(message).toMatch(/^Orchestrator function 'failingChild' failed: child broke \n Message: child broke, StackTrace: /);
        });

        it('offers replay schema V4, as OrchestrationTriggerAttributeBindingProvider.cs does since extension 3.13.0 (#3453), so lock is granted', async () => {
            // Prepare
            const { host } = await virtualHost();

            // Act
            await startOrchestration(host, 'locksEntity', undefined, 'locks');
            await host.whenIdle();

            // Assess
            expect(record(host, 'locks').runtimeStatus).toBe('Completed');
            expect(output(host, 'locks')).toBe('locked');
        });
    });

    // Where Azure would wait forever, the host stops the instance and says why.
    it.each([
        ['an orchestrator throws a value that is not an Error (OutOfProcOrchestrationShim.cs HandleDurableTaskReplay)', 'throwsString', 'the orchestrator threw a value that is not an Error'],
        [
            'it calls an activity that is not registered (DurableTaskExtension.cs ThrowIfFunctionDoesNotExist, durable-js#197)',
            'callsMissingActivity',
            "it calls the function 'noSuchActivity', which doesn't exist",
        ],
        [
            'a sub-orchestration reuses its parent\'s id (DurableOrchestrationContext.cs CallDurableTaskFunctionAsync)',
            'startsItselfAsChild',
            'the instance ID of a sub-orchestration must be different than the instance ID of a parent orchestration',
        ],
    ])('stops the instance loudly when %s', async (_label, name, reason) => {
        // Prepare
        const { host, logs } = await virtualHost();

        // Act
        await startOrchestration(host, name, undefined, `hang-${name}`);
        await host.whenIdle();

        // Assess
        const stopped = record(host, `hang-${name}`);
        expect(stopped.runtimeStatus).toBe('Failed');
        expect(stopped.output).toContain(WOULD_WAIT);
        expect(stopped.output).toContain(reason);
        expect(eventsOfType(stopped.history, EventType.ExecutionCompleted)[0]?.FailureDetails?.ErrorType).toBe('LocalHostWouldWaitForever');
        expect(logs.records.some((entry) => entry.level === 'error' && entry.message.includes(WOULD_WAIT))).toBe(true);
    });
});
