import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock';
import { durableClientBindingData } from '../../local/host/durable/client-binding';
import { postJson, startFixtureHost, startOrchestration, type FixtureHost } from './support/fixture-host';

interface CheckStatusBody {
    id: string;
    statusQueryGetUri: string;
    sendEventPostUri: string;
    terminatePostUri: string;
    purgeHistoryDeleteUri: string;
}

describe('the Durable Functions HTTP API and DurableClient against the local host', () => {
    let fixture: FixtureHost;
    let clock: VirtualClock;
    let webhooks: string;

    beforeAll(async () => {
        clock = new VirtualClock(Date.UTC(2026, 0, 5, 9, 0, 0), { autoAdvance: false });
        fixture = await startFixtureHost({ clock });
        webhooks = `${fixture.host.baseUrl}/runtime/webhooks/durabletask`;
    });
    afterAll(async () => fixture.host.stop());

    async function startThroughStarter(name: string, instanceId?: string, input?: unknown): Promise<{ response: Response; body: CheckStatusBody }> {
        const response = await postJson(`${fixture.host.baseUrl}/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, input);
        return { response, body: (await response.json()) as CheckStatusBody };
    }

    it('starts without an instance id and returns check-status URLs that point at this host', async () => {
        // Act
        const { response, body } = await startThroughStarter('collectEvents');

        // Assess
        expect(response.status).toBe(202);
        expect(body.id).toMatch(/^[0-9a-f]{32}$/);
        const query = 'taskHub=TestHubName&connection=Storage&code=test-function-key';
        expect(body.statusQueryGetUri).toBe(`${webhooks}/instances/${body.id}?${query}`);
        expect(body.sendEventPostUri).toBe(`${webhooks}/instances/${body.id}/raiseEvent/{eventName}?${query}`);
        expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
        expect(response.headers.get('retry-after')).toBe('10');
    });

    it('round-trips an instance through its status, raise-event, terminate and purge URLs', async () => {
        // Prepare
        const { body } = await startThroughStarter('collectEvents', 'round-trip', { note: 'input' });
        await fixture.host.whenIdle();

        // Act
        const running = await fetch(body.statusQueryGetUri);
        const raised = await postJson(body.sendEventPostUri.replace('{eventName}', 'first'), { n: 1 });
        await fixture.host.whenIdle();
        const afterOneEvent = (await (await fetch(body.statusQueryGetUri)).json()) as { runtimeStatus: string };
        const terminated = await fetch(body.terminatePostUri.replace('{text}', 'no longer needed'), { method: 'POST' });
        await fixture.host.whenIdle();
        const final = await fetch(body.statusQueryGetUri);
        const terminatedAgain = await fetch(body.terminatePostUri.replace('{text}', 'again'), { method: 'POST' });
        const purged = await fetch(body.purgeHistoryDeleteUri, { method: 'DELETE' });
        const gone = await fetch(body.statusQueryGetUri);

        // Assess
        expect(running.status).toBe(202);
        expect(await running.json()).toMatchObject({ name: 'collectEvents', instanceId: 'round-trip', runtimeStatus: 'Running', input: { note: 'input' }, output: null });
        expect(raised.status).toBe(202);
        expect(afterOneEvent.runtimeStatus).toBe('Running');
        expect(terminated.status).toBe(202);
        expect(final.status).toBe(200);
        expect(await final.json()).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
        expect(terminatedAgain.status).toBe(410);
        expect(purged.status).toBe(200);
        expect(await purged.json()).toEqual({ instancesDeleted: 1 });
        expect(gone.status).toBe(404);
    });

    it('shows the condensed history with outputs when asked', async () => {
        // Prepare
        const { body } = await startThroughStarter('collectEvents', 'with-history');
        await postJson(body.sendEventPostUri.replace('{eventName}', 'first'), 'one');
        await postJson(body.sendEventPostUri.replace('{eventName}', 'second'), 'two');
        await fixture.host.whenIdle();

        // Act
        const response = await fetch(`${body.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`);
        const status = (await response.json()) as { output: unknown; historyEvents: { EventType: string }[] };

        // Assess
        expect(response.status).toBe(200);
        expect(status.output).toEqual(['one', 'two']);
        expect(status.historyEvents.map((event) => event.EventType)).toEqual(['ExecutionStarted', 'EventRaised', 'EventRaised', 'ExecutionCompleted']);
        expect(status.historyEvents[0]).toMatchObject({ FunctionName: 'collectEvents' });
        expect(status.historyEvents[3]).toMatchObject({ OrchestrationStatus: 'Completed', Result: ['one', 'two'] });
    });

    it.each([
        ['raising an event on an unknown instance', 'POST', '/instances/nobody/raiseEvent/x', 404],
        ['terminating an unknown instance', 'POST', '/instances/nobody/terminate?reason=x', 404],
        ['purging an unknown instance', 'DELETE', '/instances/nobody', 404],
        ['starting an orchestrator that does not exist', 'POST', '/orchestrators/noSuchOrchestrator', 400],
        ['starting an activity as an orchestrator', 'POST', '/orchestrators/double', 400],
        ['purging by filter without createdTimeFrom', 'DELETE', '/instances/', 400],
        ['rewinding (not implemented locally)', 'POST', '/instances/any/rewind?reason=x', 501],
    ])('answers %s with %i', async (_label, method, path, status) => {
        // Act
        const response = await fetch(`${webhooks}${path}${path.includes('?') ? '&' : '?'}code=test-function-key`, { method, headers: { 'content-type': 'application/json' } });

        // Assess
        expect(response.status).toBe(status);
    });

    it('refuses the webhooks without the system key', async () => {
        // Act
        const response = await fetch(`${webhooks}/instances/`);

        // Assess
        expect(response.status).toBe(401);
    });

    it('answers 500 to a start with the id of a running instance, and purges a running one (HttpApiHandler.cs, DurableClient.cs StartNewAsync)', async () => {
        // Prepare
        await startOrchestration(fixture.host, 'collectEvents', undefined, 'busy');

        // Act
        const duplicate = await postJson(`${webhooks}/orchestrators/collectEvents/busy?code=test-function-key`);
        const purge = await fetch(`${webhooks}/instances/busy?code=test-function-key`, { method: 'DELETE' });

        // Assess
        expect(duplicate.status).toBe(500);
        expect(await duplicate.json()).toMatchObject({ ExceptionMessage: 'An Orchestration instance with the status Running already exists.' });
        expect(purge.status).toBe(200);
        expect(await purge.json()).toEqual({ instancesDeleted: 1 });
        expect(fixture.host.store.get('busy')).toBeUndefined();
    });

    it('refuses an event that is not JSON', async () => {
        // Prepare
        await startOrchestration(fixture.host, 'collectEvents', undefined, 'needs-json');

        // Act
        const response = await fetch(`${webhooks}/instances/needs-json/raiseEvent/first?code=test-function-key`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });

        // Assess
        expect(response.status).toBe(400);
    });

    it('pages queries with x-ms-continuation-token and filters by instance id prefix and status', async () => {
        // Prepare
        for (let index = 0; index < 120; index += 1) {
            await postJson(`${webhooks}/orchestrators/collectEvents/paged-${String(index).padStart(3, '0')}?code=test-function-key`);
        }
        await fixture.host.whenIdle();
        const url = `${webhooks}/instances/?code=test-function-key&instanceIdPrefix=paged-&runtimeStatus=Running&top=50`;

        // Act
        const first = await fetch(url);
        const token = first.headers.get('x-ms-continuation-token') ?? '';
        const second = await fetch(url, { headers: { 'x-ms-continuation-token': token } });
        const third = await fetch(url, { headers: { 'x-ms-continuation-token': second.headers.get('x-ms-continuation-token') ?? '' } });
        const pages = [(await first.json()) as { instanceId: string }[], (await second.json()) as { instanceId: string }[], (await third.json()) as { instanceId: string }[]];

        // Assess
        expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
        expect(third.headers.get('x-ms-continuation-token')).toBeNull();
        const ids = pages.flat().map((status) => status.instanceId);
        expect(new Set(ids).size).toBe(120);
        expect(ids.every((id) => id.startsWith('paged-'))).toBe(true);
    });

    it('lets DurableClient.getStatusAll read every page and getStatusBy filter by status and creation time', async () => {
        // Prepare
        clock.advanceBy(60_000);
        const createdAfter = new Date(clock.now()).toISOString();
        await startOrchestration(fixture.host, 'collectEvents', undefined, 'late-1');
        await startOrchestration(fixture.host, 'collectEvents', undefined, 'late-2');
        await postJson(`${fixture.host.baseUrl}/api/manage/late-2/terminate?reason=enough`);
        await fixture.host.whenIdle();

        // Act
        const all = (await (await fetch(`${fixture.host.baseUrl}/api/query`)).json()) as { instanceId: string }[];
        const late = (await (await fetch(`${fixture.host.baseUrl}/api/query?from=${createdAfter}`)).json()) as { instanceId: string }[];
        const terminated = (await (await fetch(`${fixture.host.baseUrl}/api/query?status=Terminated`)).json()) as { instanceId: string; runtimeStatus: string }[];

        // Assess
        expect(all.length).toBeGreaterThan(120);
        expect(late.map((status) => status.instanceId).sort()).toEqual(['late-1', 'late-2']);
        expect(terminated).toEqual([{ instanceId: 'late-2', runtimeStatus: 'Terminated' }]);
    });

    it('works with DurableClient built from webhook-only binding data (no rpcBaseUrl)', async () => {
        // Prepare
        const { rpcBaseUrl: _unused, ...webhookOnly } = durableClientBindingData(fixture.host.baseUrl, fixture.host.functionKey);
        const clientInput = df.input.durableClient();
        const context = new InvocationContext({ functionName: 'test', options: { trigger: { name: 't', type: 'httpTrigger' }, extraInputs: [clientInput] } });
        context.extraInputs.set(clientInput, webhookOnly);
        const client = df.getClient(context);

        // Act
        const instanceId = await client.startNew('collectEvents', { instanceId: 'webhook-mode', input: 7 });
        await client.raiseEvent(instanceId, 'first', 'a');
        await client.raiseEvent(instanceId, 'second', 'b');
        await fixture.host.whenIdle();
        const status = await client.getStatus(instanceId);
        const purged = await client.purgeInstanceHistory(instanceId);

        // Assess
        expect(status.runtimeStatus).toBe('Completed');
        expect(status.input).toBe(7);
        expect(status.output).toEqual(['a', 'b']);
        expect(purged.instancesDeleted).toBe(1);
    });
});
