import { once } from 'node:events';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { HybridConnectionListener, ListenerStateChange } from '../../agent/relay/hybrid-connection-listener';
import { DEFAULT_BACKOFF, reconnectDelayMs } from '../../agent/relay/reconnect-backoff';
import { PermanentError, TransientError } from '../../lib/errors';
import { createSasToken, relayResourceUri } from '../../lib/relay/sas-token';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, LISTEN_RULE, SEND_RULE, azureLikeKey, deferred, echoHandler, listenerFor, nextEvent, recordEvents, senderFor, startStandIn } from './relay-harness';

const ping = { path: '/ping', headers: {}, body: Buffer.from('{}') };

describe('hybrid connection listener lifecycle', () => {
    const toClose: { close: () => Promise<void> }[] = [];
    const track = <T extends { close: () => Promise<void> }>(resource: T): T => {
        toClose.push(resource);
        return resource;
    };
    const stopping = (standIn: RelayStandIn): RelayStandIn => {
        track({ close: () => standIn.stop() });
        return standIn;
    };

    afterEach(async () => {
        for (const resource of toClose.reverse()) await resource.close();
        toClose.length = 0;
    });

    async function connectedListener(standIn: RelayStandIn, overrides: Parameters<typeof listenerFor>[2] = {}): Promise<{ listener: HybridConnectionListener; changes: ListenerStateChange[] }> {
        const listener = track(listenerFor(standIn, echoHandler, overrides));
        const changes: ListenerStateChange[] = [];
        listener.onStateChange((change) => changes.push(change));
        listener.start();
        await listener.connected();
        return { listener, changes };
    }

    it('reconnects after the relay drops it and serves again', async () => {
        // Prepare
        const standIn = stopping(await startStandIn());
        const { listener, changes } = await connectedListener(standIn);
        const reconnected = nextEvent(standIn, 'listener-connected');

        // Act
        const dropped = standIn.dropListeners();
        await reconnected;
        await listener.connected();
        const response = await senderFor(standIn).send(HYBRID_CONNECTION, ping);

        // Assess
        expect(dropped).toBe(1);
        expect(response.status).toBe(200);
        const waiting = changes.find((c) => c.state === 'waiting-to-reconnect');
        expect(waiting?.error).toBeInstanceOf(TransientError);
        expect(changes.map((c) => c.state)).toEqual(['connecting', 'connected', 'waiting-to-reconnect', 'connecting', 'connected']);
    });

    it('recovers when the relay drops it right after the Nth request', async () => {
        // Prepare
        const standIn = stopping(await startStandIn());
        await connectedListener(standIn);
        const sender = senderFor(standIn);
        const recorder = recordEvents(standIn);
        standIn.dropListenersAfterRequests(2);

        // Act
        const first = await sender.send(HYBRID_CONNECTION, ping);
        const reconnected = nextEvent(standIn, 'listener-connected');
        const second = await sender.send(HYBRID_CONNECTION, ping);
        await reconnected;
        const third = await sender.send(HYBRID_CONNECTION, ping);
        recorder.stop();

        // Assess
        expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
        expect(recorder.events.map((e) => e.type)).toEqual(['exchange-completed', 'exchange-completed', 'listener-disconnected', 'listener-connected', 'exchange-completed']);
    });

    it('renews its token before expiry and keeps the same control channel past the first token', async () => {
        // Prepare
        const standIn = stopping(await startStandIn());
        const recorder = recordEvents(standIn);
        const connectedEvent = nextEvent(standIn, 'listener-connected');
        const { listener, changes } = await connectedListener(standIn, { tokenTtlSeconds: 3 });
        const firstExpiryMs = (await connectedEvent).tokenExpiresAtSeconds * 1000;

        // Act
        const renewalAfterFirstExpiry = await nextEvent(standIn, 'token-renewed', (e) => e.atMs >= firstExpiryMs);
        const response = await senderFor(standIn).send(HYBRID_CONNECTION, ping);
        recorder.stop();

        // Assess
        const renewals = recorder.events.flatMap((e) => (e.type === 'token-renewed' ? [e] : []));
        expect(renewals[0]?.atMs).toBeLessThan(firstExpiryMs);
        expect(renewalAfterFirstExpiry.tokenExpiresAtSeconds * 1000).toBeGreaterThan(firstExpiryMs);
        expect(recorder.events.filter((e) => e.type === 'listener-connected' || e.type === 'listener-disconnected')).toHaveLength(1);
        expect(changes.map((c) => c.state)).toEqual(['connecting', 'connected']);
        expect(listener.state).toBe('connected');
        expect(response.status).toBe(200);
    });

    it('is cut off by the stand-in when its token expires without renewal', async () => {
        // Prepare
        const standIn = stopping(await startStandIn());
        const token = createSasToken({ resourceUri: relayResourceUri(standIn.namespace, HYBRID_CONNECTION), keyName: LISTEN_RULE.name, key: LISTEN_RULE.key, ttlSeconds: 2 });
        const raw = new WebSocket(`wss://${standIn.namespace}/$hc/${HYBRID_CONNECTION}?sb-hc-action=listen`, { headers: { ServiceBusAuthorization: token }, ca: standIn.caPem });
        track({ close: () => Promise.resolve(raw.terminate()) });

        // Act
        const [code] = (await once(raw, 'close')) as [number, Buffer];

        // Assess
        expect(code).toBe(1008);
    });

    it.each([
        ['a wrong Listen key', { listenRule: { name: LISTEN_RULE.name, key: azureLikeKey() } }, 'relay-listen-unauthorized', /Listen rule name "agent-listen"/],
        ['the Send rule', { listenRule: SEND_RULE }, 'relay-listen-forbidden', /Listen right/],
        ['an unknown hybrid connection', { hybridConnection: 'no-such-connection' }, 'relay-hybrid-connection-not-found', /"no-such-connection"/],
    ])('reports %s as a permanent failure with a remedy', async (_label, overrides, code, remedy) => {
        // Prepare
        const standIn = stopping(await startStandIn());
        const listener = track(listenerFor(standIn, echoHandler, overrides));

        // Act
        listener.start();
        const failure = await listener.connected().then(
            () => undefined,
            (error: unknown) => error,
        );

        // Assess
        expect(failure).toBeInstanceOf(PermanentError);
        expect((failure as PermanentError).code).toBe(code);
        expect((failure as PermanentError).remedy).toMatch(remedy);
        expect(JSON.stringify((failure as PermanentError).toDetails())).not.toContain(LISTEN_RULE.key);
    });

    it('answers a request in progress during close, then leaves the relay without listeners', async () => {
        // Prepare
        const standIn = stopping(await startStandIn());
        const entered = deferred();
        const gate = deferred();
        const listener = track(
            listenerFor(standIn, async (request) => {
                entered.resolve();
                await gate.promise;
                return echoHandler(request);
            }),
        );
        listener.start();
        await listener.connected();
        const sender = senderFor(standIn);
        const inFlight = sender.send(HYBRID_CONNECTION, ping);
        await entered.promise;
        const disconnected = nextEvent(standIn, 'listener-disconnected');
        const completed = nextEvent(standIn, 'exchange-completed');

        // Act
        const closed = listener.close();
        await disconnected;
        gate.resolve();
        const answered = await inFlight;
        await closed;
        const exchange = await completed;
        const afterClose = await sender.send(HYBRID_CONNECTION, ping).catch((error: unknown) => error);

        // Assess
        expect(answered.status).toBe(200);
        expect(exchange.record).toMatchObject({ requestChannel: 'control', responseChannel: 'rendezvous' });
        expect(listener.state).toBe('closed');
        expect(standIn.listenerCount(HYBRID_CONNECTION)).toBe(0);
        expect(afterClose).toBeInstanceOf(TransientError);
        expect((afterClose as TransientError).code).toBe('relay-no-listener');
        await expect(listener.connected()).rejects.toMatchObject({ code: 'relay-listener-closed' });
    });
});

describe('reconnectDelayMs', () => {
    it.each([
        [1, 0, 250],
        [1, 1, 500],
        [2, 1, 1000],
        [4, 1, 4000],
        [7, 1, 30_000],
        [50, 0, 15_000],
    ])('for attempt %i with random %d waits %i ms', (attempt, random, expected) => {
        // Act
        const delay = reconnectDelayMs(attempt, DEFAULT_BACKOFF, () => random);

        // Assess
        expect(delay).toBe(expected);
    });
});
