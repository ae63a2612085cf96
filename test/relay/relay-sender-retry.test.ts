import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../lib/errors';
import { RelaySender } from '../../lib/relay/relay-sender';
import { SEND_RULE, standInTls } from './relay-harness';

type Behaviour = 'answer' | 'drop-before-answer' | 'drop-after-first-byte';

/**
 * A bare HTTPS server that behaves per request on each connection (1-based), as a relay front end
 * whose listener dropped the rendezvous would: the sender's kept connection ends under a request.
 */
async function relayFrontEnd(behaviour: (requestOnConnection: number) => Behaviour): Promise<{ server: Server; namespace: string; requests: () => number }> {
    const tls = standInTls();
    const perSocket = new WeakMap<Socket, number>();
    let requests = 0;
    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
        requests += 1;
        const ordinal = (perSocket.get(request.socket) ?? 0) + 1;
        perSocket.set(request.socket, ordinal);
        request.resume();
        request.once('end', () => {
            const what = behaviour(ordinal);
            if (what === 'drop-before-answer') return void request.socket.destroy();
            if (what === 'drop-after-first-byte') {
                request.socket.write('HTTP/1.1 200 OK\r\nVia: 1.1 relay\r\nContent-Le');
                return void setTimeout(() => request.socket.destroy(), 20);
            }
            response.writeHead(200, { via: '1.1 relay', 'content-length': '2' });
            response.end('ok');
        });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { server, namespace: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

const call = { path: '/ops/inventory', headers: { 'x-operation-id': 'op-1' }, body: Buffer.from('{}') };

describe('relay sender retry after a dropped kept connection', () => {
    const cleanups: (() => void)[] = [];

    afterEach(() => {
        for (const cleanup of cleanups.reverse()) cleanup();
        cleanups.length = 0;
    });

    async function setup(behaviour: (requestOnConnection: number) => Behaviour): Promise<{ sender: RelaySender; requests: () => number }> {
        const frontEnd = await relayFrontEnd(behaviour);
        cleanups.push(() => {
            frontEnd.server.closeAllConnections();
            frontEnd.server.close();
        });
        const sender = new RelaySender({ namespace: frontEnd.namespace, sendRule: SEND_RULE, ca: standInTls().caPem });
        cleanups.push(() => sender.close());
        return { sender, requests: frontEnd.requests };
    }

    it('sends a request once more on a new connection when the kept one fails before any byte of the answer', async () => {
        // Prepare
        const { sender, requests } = await setup((n) => (n === 1 ? 'answer' : 'drop-before-answer'));
        await sender.send('hc', call);

        // Act
        const response = await sender.send('hc', call);

        // Assess
        expect(response.body.toString()).toBe('ok');
        expect(requests()).toBe(3);
    });

    it('does not send again when a new connection fails', async () => {
        // Prepare
        const { sender, requests } = await setup(() => 'drop-before-answer');

        // Act
        const failure = await sender.send('hc', call).catch((error: unknown) => error);

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure).toMatchObject({ code: 'relay-connection-failed' });
        expect(requests()).toBe(1);
    });

    it('does not send again once the answer has begun', async () => {
        // Prepare
        const { sender, requests } = await setup((n) => (n === 1 ? 'answer' : 'drop-after-first-byte'));
        await sender.send('hc', call);

        // Act
        const failure = await sender.send('hc', call).catch((error: unknown) => error);

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(requests()).toBe(2);
    });

    it('sends only once more when the new connection is dropped too', async () => {
        // Prepare
        const { sender, requests } = await setup((n) => (n === 1 && requests() === 1 ? 'answer' : 'drop-before-answer'));
        await sender.send('hc', call);

        // Act
        const failure = await sender.send('hc', call).catch((error: unknown) => error);

        // Assess
        expect(failure).toMatchObject({ code: 'relay-connection-failed', transient: true });
        expect(requests()).toBe(3);
    });
});
