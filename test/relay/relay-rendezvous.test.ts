import { once } from 'node:events';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayedRequestHandler } from '../../agent/relay/types';
import { createSasToken, relayResourceUri } from '../../lib/relay/sas-token';
import { Logger, MemoryLogSink } from '../../lib/logger';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, SEND_RULE, listenerFor, recordEvents, senderFor, sha256, startStandIn } from './relay-harness';

/** 200 exchanges that each open a TLS connection and a rendezvous take a while on a busy machine. */
const LONG_RUN_MS = 180_000;

/** Answers over the control channel's 64 kB, so every answer travels over a rendezvous socket. */
const ANSWER_BYTES = 100 * 1024;

/** Answers each request with ANSWER_BYTES derived from its body, so a mixed-up answer shows. */
const largeAnswers: RelayedRequestHandler = (request) => {
    const seed = request.body.toString('utf8');
    const body = Buffer.alloc(ANSWER_BYTES, seed);
    return Promise.resolve({ status: 200, headers: { 'x-seed': seed }, body });
};

function expectedAnswer(seed: string): string {
    return sha256(Buffer.alloc(ANSWER_BYTES, seed));
}

describe('rendezvous sockets kept as the protocol guide says', () => {
    const cleanups: (() => Promise<void>)[] = [];

    afterEach(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
        cleanups.length = 0;
    });

    async function world(listenerOverrides: Parameters<typeof listenerFor>[2] = {}): Promise<{ standIn: RelayStandIn; logs: MemoryLogSink; send: (seed: string) => Promise<{ status: number; digest: string; seed: string | undefined }> }> {
        const standIn = await startStandIn();
        cleanups.push(() => standIn.stop());
        const listener = listenerFor(standIn, largeAnswers, listenerOverrides);
        cleanups.push(() => listener.close());
        listener.start();
        await listener.connected();
        const logs = new MemoryLogSink();
        const sender = senderFor(standIn, { logger: new Logger({}, logs.sink, 'debug') });
        cleanups.push(() => Promise.resolve(sender.close()));
        const send = async (seed: string) => {
            const response = await sender.send(HYBRID_CONNECTION, { path: '/large', headers: {}, body: Buffer.from(seed) });
            return { status: response.status, digest: sha256(response.body), seed: response.headers['x-seed'] };
        };
        return { standIn, logs, send };
    }

    const retries = (logs: MemoryLogSink): number => logs.records.filter((r) => r.message.startsWith('kept relay connection was dropped')).length;

    it('serves 200 sequential requests with answers over 64 kB, later ones over the rendezvous kept for the sender connection', async () => {
        // Prepare
        const { standIn, send } = await world();
        const recorder = recordEvents(standIn);

        // Act
        const results = [];
        for (let i = 0; i < 200; i += 1) results.push(await send(`s${i}`));
        recorder.stop();

        // Assess
        expect(results.filter((r, i) => r.status !== 200 || r.digest !== expectedAnswer(`s${i}`))).toEqual([]);
        const exchanges = recorder.exchanges();
        expect(exchanges).toHaveLength(200);
        expect(exchanges.slice(1).every((e) => e.requestChannel === 'rendezvous' && e.responseChannel === 'rendezvous')).toBe(true);
        expect(recorder.events.filter((e) => e.type === 'rendezvous-connected')).toHaveLength(1);
    }, LONG_RUN_MS);

    it('serves 200 sequential requests with answers over 64 kB when the listener drops each rendezvous once idle and the relay drops the sender connection with it', async () => {
        // Prepare
        const { send, logs } = await world({ rendezvousIdleTimeoutMs: 0 });

        // Act
        const results = [];
        for (let i = 0; i < 200; i += 1) results.push(await send(`d${i}`));

        // Assess
        expect(results.filter((r, i) => r.status !== 200 || r.digest !== expectedAnswer(`d${i}`))).toEqual([]);
        console.info(`200 sequential, rendezvous dropped when idle: ${results.length} answered, ${retries(logs)} sent again after a dropped kept connection`);
    }, LONG_RUN_MS);

    it.each([
        { name: 'kept rendezvous', rendezvousIdleTimeoutMs: undefined },
        { name: 'rendezvous dropped when idle', rendezvousIdleTimeoutMs: 0 },
    ])('serves 20 concurrent requests with answers over 64 kB, 5 rounds ($name)', async ({ rendezvousIdleTimeoutMs }) => {
        // Prepare
        const { send, logs } = await world(rendezvousIdleTimeoutMs === undefined ? {} : { rendezvousIdleTimeoutMs });

        // Act
        const failures: string[] = [];
        for (let round = 0; round < 5; round += 1) {
            const seeds = Array.from({ length: 20 }, (_, i) => `c${round}-${i}`);
            const results = await Promise.all(seeds.map((seed) => send(seed).catch((error: unknown) => ({ status: 0, digest: String(error), seed }))));
            failures.push(...results.filter((r, i) => r.status !== 200 || r.digest !== expectedAnswer(seeds[i] ?? '')).map((r) => `${r.seed ?? '?'}: ${r.status} ${r.digest}`));
        }

        // Assess
        expect(failures).toEqual([]);
        console.info(`20 concurrent x 5 (${rendezvousIdleTimeoutMs === undefined ? 'kept' : 'dropped when idle'}): 100 answered, ${retries(logs)} sent again`);
    }, LONG_RUN_MS);

    it('the stand-in answers without Connection: close and drops the sender connection when the listener drops the rendezvous', async () => {
        // Prepare
        const { standIn } = await world({ rendezvousIdleTimeoutMs: 50 });
        const agent = new HttpsAgent({ keepAlive: true, ca: standIn.caPem });
        cleanups.push(() => Promise.resolve(agent.destroy()));
        const token = createSasToken({ resourceUri: relayResourceUri(standIn.namespace, HYBRID_CONNECTION), keyName: SEND_RULE.name, key: SEND_RULE.key, ttlSeconds: 300 });
        const [host, port] = standIn.namespace.split(':');

        // Act
        const outgoing = httpsRequest({ host, port: Number(port), method: 'POST', path: `/${HYBRID_CONNECTION}/large`, agent, headers: { servicebusauthorization: token, 'content-length': '1' } });
        outgoing.end('x');
        const [response] = (await once(outgoing, 'response')) as [IncomingMessage];
        const socket = response.socket;
        response.resume();
        await once(response, 'end');
        const startedWaiting = Date.now();
        await once(socket, 'close');

        // Assess
        expect(response.statusCode).toBe(200);
        expect(response.headers.via).toBeDefined();
        expect(response.headers.connection).not.toBe('close');
        expect(Date.now() - startedWaiting).toBeLessThan(5_000);
    });
});
