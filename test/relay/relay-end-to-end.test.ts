import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import type { RelayedRequestHandler } from '../../agent/relay/types';
import type { RelaySender } from '../../lib/relay/relay-sender';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, echoHandler, jsonResponse, listenerFor, recordEvents, senderFor, sha256, startStandIn } from './relay-harness';

const MB = 1024 * 1024;

/** Routes by path so one listener serves every case of this file. */
const handler: RelayedRequestHandler = async (request) => {
    if (request.path === '/echo') return echoHandler(request);
    if (request.path === '/large-response') return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(5 * MB, 7) };
    if (request.path === '/digest') {
        if (request.body.length > MB) return jsonResponse(413, { ok: false, error: { code: 'body-too-large', message: `body of ${request.body.length} bytes`, transient: false } });
        return jsonResponse(200, { bytes: request.body.length, sha256: sha256(request.body) });
    }
    const status = Number(request.path.slice('/status/'.length));
    return jsonResponse(status, { ok: false, error: { code: 'agent-said-so', message: 'from the agent', transient: status >= 500 } });
};

describe('relay end to end: our sender, the stand-in, our listener', () => {
    let standIn: RelayStandIn;
    let listener: HybridConnectionListener;
    let sender: RelaySender;

    beforeAll(async () => {
        standIn = await startStandIn();
        listener = listenerFor(standIn, handler);
        listener.start();
        await listener.connected();
        sender = senderFor(standIn);
    });

    afterAll(async () => {
        sender.close();
        await listener.close();
        await standIn.stop();
    });

    it('carries a small request and its answer over the control channel', async () => {
        // Prepare
        const recorder = recordEvents(standIn);
        const body = Buffer.from('{"hello":"agent"}');

        // Act
        const response = await sender.send(HYBRID_CONNECTION, { path: '/echo', headers: { 'content-type': 'application/json', 'x-signature': 'abc' }, body });
        recorder.stop();

        // Assess
        expect(response.status).toBe(200);
        expect(response.headers['x-echo-method']).toBe('POST');
        expect(response.headers['x-echo-path']).toBe('/echo');
        const echoed = JSON.parse(response.body.toString('utf8')) as { headers: Record<string, string>; bodyBase64: string };
        expect(Buffer.from(echoed.bodyBase64, 'base64')).toEqual(body);
        expect(echoed.headers).toMatchObject({ 'content-type': 'application/json', 'x-signature': 'abc' });
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ requestChannel: 'control', responseChannel: 'control', status: 200 })]);
    });

    it('never hands the relay credentials or hop headers to the listener', async () => {
        // Act
        const response = await sender.send(HYBRID_CONNECTION, { path: '/echo', headers: {}, body: Buffer.from('x') });

        // Assess
        const echoed = JSON.parse(response.body.toString('utf8')) as { headers: Record<string, string> };
        expect(Object.keys(echoed.headers)).not.toContain('servicebusauthorization');
        expect(Object.keys(echoed.headers)).not.toContain('content-length');
        expect(JSON.stringify(echoed.headers)).not.toContain('SharedAccessSignature');
    });

    it('carries a 5 MB answer back over a rendezvous socket', async () => {
        // Prepare
        const recorder = recordEvents(standIn);

        // Act
        const response = await sender.send(HYBRID_CONNECTION, { path: '/large-response', headers: {}, body: Buffer.from('{}') });
        recorder.stop();

        // Assess
        expect(response.status).toBe(200);
        expect(response.body.length).toBe(5 * MB);
        expect(response.body.equals(Buffer.alloc(5 * MB, 7))).toBe(true);
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ requestChannel: 'control', responseChannel: 'rendezvous', responseBytes: 5 * MB })]);
    });

    it.each([
        ['a body just under the control channel limit', 60 * 1024, 'control', 200],
        ['a 900 kB body', 900 * 1024, 'rendezvous', 200],
    ])('delivers %s intact', async (_label, size, channel, status) => {
        // Prepare: a sender connection of its own (the relay routes every later request of a connection that has a rendezvous over it)
        const body = randomBytes(size);
        const recorder = recordEvents(standIn);
        const ownSender = senderFor(standIn);

        // Act
        const response = await ownSender.send(HYBRID_CONNECTION, { path: '/digest', headers: { 'content-type': 'application/octet-stream' }, body });
        recorder.stop();
        ownSender.close();

        // Assess
        const expected = status === 200 ? { bytes: size, sha256: sha256(body) } : { ok: false, error: { code: 'body-too-large', message: `body of ${size} bytes` } };
        expect(response.status).toBe(status);
        expect(JSON.parse(response.body.toString('utf8'))).toMatchObject(expected);
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ requestChannel: channel, requestBytes: size })]);
    });

    it('cuts off a 2 MB body on the rendezvous before the handler sees it, and the sender is told the connection dropped', async () => {
        // Prepare
        const recorder = recordEvents(standIn);
        const ownSender = senderFor(standIn);

        // Act
        const sending = ownSender.send(HYBRID_CONNECTION, { path: '/digest', headers: { 'content-type': 'application/octet-stream' }, body: randomBytes(2 * MB) });

        // Assess
        await expect(sending).rejects.toMatchObject({ transient: true });
        ownSender.close();
        recorder.stop();
        expect(recorder.exchanges()).toEqual([]);
    });

    it.each([502, 504])('turns an agent %i into 500, since the relay reserves it and it would read as a relay failure', async (status) => {
        // Act
        const response = await sender.send(HYBRID_CONNECTION, { path: `/status/${status}`, headers: {}, body: Buffer.from('{}') });

        // Assess
        expect(response.status).toBe(500);
        expect(response.headers.via).toBeDefined();
    });

    it.each([400, 401, 404, 413, 500, 503])("returns the agent's own %i answer instead of treating it as a relay failure", async (status) => {
        // Act
        const response = await sender.send(HYBRID_CONNECTION, { path: `/status/${status}`, headers: {}, body: Buffer.from('{}') });

        // Assess
        expect(response.status).toBe(status);
        expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ ok: false, error: { code: 'agent-said-so' } });
    });
});
