import { Agent as HttpsAgent } from 'node:https';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransientError } from '../../lib/errors';
import type { RelaySender } from '../../lib/relay/relay-sender';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, deferred, echoHandler, listenerFor, senderFor, startStandIn } from './relay-harness';

const ping = { path: '/ping', headers: {}, body: Buffer.from('{}') };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the TLS connections senders open (the listener's WebSockets bring their own connection function). */
function countConnections(): { readonly count: () => number } {
    const spy = vi.spyOn(HttpsAgent.prototype, 'createConnection');
    return { count: () => spy.mock.calls.length };
}

describe('relay sender connections', () => {
    const cleanups: (() => Promise<void>)[] = [];

    afterEach(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
        cleanups.length = 0;
    });

    async function relayWithListener(options: { answerTimeoutMs?: number; handler?: Parameters<typeof listenerFor>[1] } = {}): Promise<RelayStandIn> {
        const standIn = await startStandIn(options.answerTimeoutMs);
        cleanups.push(() => standIn.stop());
        const listener = listenerFor(standIn, options.handler ?? echoHandler);
        cleanups.push(() => listener.close());
        listener.start();
        await listener.connected();
        return standIn;
    }

    function sender(standIn: RelayStandIn, overrides: Parameters<typeof senderFor>[1] = {}): RelaySender {
        const created = senderFor(standIn, overrides);
        cleanups.push(() => Promise.resolve(created.close()));
        return created;
    }

    it('sends one request after another over a single connection', async () => {
        // Prepare
        const standIn = await relayWithListener();
        const connections = countConnections();
        const relay = sender(standIn);

        // Act
        for (let i = 0; i < 5; i += 1) expect((await relay.send(HYBRID_CONNECTION, ping)).status).toBe(200);

        // Assess
        expect(connections.count()).toBe(1);
    });

    it.each([
        { idleMs: 100, waitMs: 400, connections: 2 },
        { idleMs: 5_000, waitMs: 400, connections: 1 },
    ])('opens a new connection after an idle one was kept $idleMs ms and the next request came $waitMs ms later', async ({ idleMs, waitMs, connections }) => {
        // Prepare
        const standIn = await relayWithListener();
        const counter = countConnections();
        const relay = sender(standIn, { idleConnectionTimeoutMs: idleMs });
        await relay.send(HYBRID_CONNECTION, ping);

        // Act
        await sleep(waitMs);
        const response = await relay.send(HYBRID_CONNECTION, ping);

        // Assess
        expect(response.status).toBe(200);
        expect(counter.count()).toBe(connections);
    });

    it('lets a request run longer than the idle-connection limit', async () => {
        // Prepare
        const standIn = await relayWithListener();
        const relay = sender(standIn, { idleConnectionTimeoutMs: 100 });
        await relay.send(HYBRID_CONNECTION, ping);
        standIn.setDelayMs(500);

        // Act
        const response = await relay.send(HYBRID_CONNECTION, ping);

        // Assess
        expect(response.status).toBe(200);
    });

    it('lets the relay stand-in stop at once while a sender keeps an idle connection open', async () => {
        // Prepare
        const standIn = await startStandIn();
        const listener = listenerFor(standIn, echoHandler);
        listener.start();
        await listener.connected();
        const relay = sender(standIn);
        await relay.send(HYBRID_CONNECTION, ping);
        await listener.close();

        // Act
        const started = Date.now();
        await standIn.stop();
        const stoppedInMs = Date.now() - started;
        const afterStop = await relay.send(HYBRID_CONNECTION, ping).catch((error: unknown) => error);

        // Assess
        expect(stoppedInMs).toBeLessThan(1_000);
        expect(afterStop).toBeInstanceOf(TransientError);
    });

    it('lets a request in flight finish when the sender is closed, then refuses new ones as a transient failure', async () => {
        // Prepare
        const answer = deferred();
        const standIn = await relayWithListener({ handler: async (request) => (await answer.promise, echoHandler(request)) });
        const relay = sender(standIn);
        const inFlight = relay.send(HYBRID_CONNECTION, ping);
        await sleep(100);

        // Act
        relay.close();
        answer.resolve();
        const response = await inFlight;
        const refused = await relay.send(HYBRID_CONNECTION, ping).catch((error: unknown) => error);

        // Assess
        expect(response.status).toBe(200);
        expect(refused).toBeInstanceOf(TransientError);
        expect(refused).toMatchObject({ code: 'relay-sender-closed', message: expect.stringMatching(/closed/) as unknown });
    });

    it.each([
        { case: 'answered by the listener', answerTimeoutMs: 60_000, handlerDelayMs: 400, expected: 'fulfilled' },
        { case: 'answered after the relay gave up', answerTimeoutMs: 100, handlerDelayMs: 400, expected: 'rejected' },
    ])('carries 30 concurrent requests over one listener ($case) without an event-listener leak warning', async ({ answerTimeoutMs, handlerDelayMs, expected }) => {
        // Prepare
        const warnings: string[] = [];
        const onWarning = (warning: Error): void => void warnings.push(warning.name);
        process.on('warning', onWarning);
        cleanups.push(() => Promise.resolve(void process.off('warning', onWarning)));
        const standIn = await relayWithListener({ answerTimeoutMs, handler: async (request) => (await sleep(handlerDelayMs), echoHandler(request)) });
        const relay = sender(standIn);

        // Act
        const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => relay.send(HYBRID_CONNECTION, ping)));
        await sleep(50);

        // Assess
        expect(outcomes.map((outcome) => outcome.status)).toEqual(Array.from({ length: 30 }, () => expected));
        expect(warnings).not.toContain('MaxListenersExceededWarning');
    });
});
