import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { describe, expect, it } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import { PermanentError, TransientError } from '../../lib/errors';
import { createSasToken, relayResourceUri } from '../../lib/relay/sas-token';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, LISTEN_RULE, SEND_RULE, cleanupAfterEach, echoHandler, listenerFor, senderFor } from './relay-harness';

function token(standIn: RelayStandIn, rule: { name: string; key: string }): string {
    return createSasToken({ resourceUri: relayResourceUri(standIn.namespace, HYBRID_CONNECTION), keyName: rule.name, key: rule.key, ttlSeconds: 300 });
}

/** A sender's WebSocket connect; resolves with the open socket or the refused handshake's status and body. */
function connectAsSender(standIn: RelayStandIn, suffix: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket } | { status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const socket = new WebSocket(`wss://${standIn.namespace}/$hc/${HYBRID_CONNECTION}${suffix}`, { ca: standIn.caPem, headers: { ServiceBusAuthorization: token(standIn, SEND_RULE), ...headers } });
        socket.once('open', () => resolve({ socket }));
        socket.once('unexpected-response', (_request, response: IncomingMessage) => {
            let body = '';
            response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
            response.once('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        socket.once('error', (error) => reject(error));
    });
}

/** A bare listener that accepts every WebSocket and echoes what it receives, recording the accept messages. */
async function echoingWebSocketListener(standIn: RelayStandIn): Promise<{ accepts: { address: string; id: string; connectHeaders: Record<string, string> }[]; closes: number[]; control: WebSocket }> {
    const accepts: { address: string; id: string; connectHeaders: Record<string, string> }[] = [];
    const closes: number[] = [];
    const control = new WebSocket(`wss://${standIn.namespace}/$hc/${HYBRID_CONNECTION}?sb-hc-action=listen`, { ca: standIn.caPem, headers: { ServiceBusAuthorization: token(standIn, LISTEN_RULE) } });
    control.on('message', (data: RawData) => {
        const message = JSON.parse((data as Buffer).toString('utf8')) as { accept?: { address: string; id: string; connectHeaders: Record<string, string> } };
        if (message.accept === undefined) return;
        accepts.push(message.accept);
        const accepted = new WebSocket(message.accept.address, { ca: standIn.caPem });
        accepted.on('message', (payload: RawData, isBinary: boolean) => accepted.send(payload as Buffer, { binary: isBinary }));
        accepted.on('close', (code: number) => closes.push(code));
    });
    await once(control, 'open');
    return { accepts, closes, control };
}

describe('relay stand-in: what the service does', () => {
    const { cleanups, relay } = cleanupAfterEach();

    it('refuses a WebSocket connect without a listener with "404 There are no listeners connected for the endpoint"', async () => {
        // Prepare
        const standIn = await relay();

        // Act
        const outcome = await connectAsSender(standIn, '?sb-hc-action=connect');

        // Assess
        expect(outcome).toMatchObject({ status: 404 });
        expect('body' in outcome ? outcome.body : '').toContain('There are no listeners connected for the endpoint');
    });

    it('answers a path that names no hybrid connection with "Endpoint does not exist", which the sender takes as permanent', async () => {
        // Prepare
        const standIn = await relay();

        // Act
        const failure = await senderFor(standIn)
            .send('no-such-connection', { path: '/ops/inventory', headers: {}, body: Buffer.from('{}') })
            .catch((error: unknown) => error);

        // Assess
        expect(failure).toBeInstanceOf(PermanentError);
        expect(failure).toMatchObject({ code: 'relay-hybrid-connection-not-found' });
        expect((failure as Error).message).toContain('Endpoint does not exist');
    });

    it('answers an HTTP request without a listener with 502, which the sender takes as transient', async () => {
        // Prepare
        const standIn = await relay();

        // Act
        const failure = await senderFor(standIn)
            .send(HYBRID_CONNECTION, { path: '/ops/inventory', headers: {}, body: Buffer.from('{}') })
            .catch((error: unknown) => error);

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure).toMatchObject({ code: 'relay-no-listener' });
    });

    it('offers a WebSocket connect to the listener with an accept message and joins the two sockets', async () => {
        // Prepare
        const standIn = await relay();
        const listener = await echoingWebSocketListener(standIn);
        cleanups.push(() => listener.control.terminate());

        // Act
        const outcome = await connectAsSender(standIn, '/tenant-7?param=a%20b&flag&sb-hc-action=connect&sb-hc-id=trace-1', { 'x-dispatch': 'inventory' });
        if (!('socket' in outcome)) throw new Error(`connect refused: ${outcome.status} ${outcome.body}`);
        outcome.socket.send('hello through the relay');
        const [echo] = (await once(outcome.socket, 'message')) as [RawData];
        outcome.socket.close(1000);
        await once(outcome.socket, 'close');
        await new Promise((resolve) => setTimeout(resolve, 100));

        // Assess
        expect((echo as Buffer).toString('utf8')).toBe('hello through the relay');
        const accept = listener.accepts[0];
        expect(accept?.id).toBe('trace-1');
        expect(accept?.address).toMatch(new RegExp(`^wss://${standIn.namespace.replace('.', '\\.')}/\\$hc/${HYBRID_CONNECTION}/tenant-7\\?param=a%20b&flag&sb-hc-action=accept&sb-hc-id=`));
        expect(accept?.connectHeaders).toMatchObject({ 'x-dispatch': 'inventory' });
        expect(Object.keys(accept?.connectHeaders ?? {})).not.toContain('servicebusauthorization');
        expect(listener.closes).toEqual([1001]);
    });

    it('passes the agent listener\'s rejection of a WebSocket on to the sender as its status', async () => {
        // Prepare
        const standIn = await relay();
        const agent = listenerFor(standIn, echoHandler);
        cleanups.push(() => agent.close());
        agent.start();
        await agent.connected();

        // Act
        const outcome = await connectAsSender(standIn, '?sb-hc-action=connect');

        // Assess
        expect(outcome).toMatchObject({ status: 501 });
        expect('body' in outcome ? outcome.body : '').toContain('WebSocket connections are not served');
    });

    it('passes the query string to the listener as the sender wrote it, minus the sb-hc- parameters', async () => {
        // Prepare
        const standIn = await relay();
        const agent = listenerFor(standIn, echoHandler);
        cleanups.push(() => agent.close());
        agent.start();
        await agent.connected();
        const [host, port] = standIn.namespace.split(':');

        // Act
        const outgoing = httpsRequest({
            host,
            port: Number(port),
            method: 'POST',
            path: `/${HYBRID_CONNECTION}/ops/x?z=1&sb-hc-token=ignored&a=b%20c&flag&sb-hc-id=7&q=%2F+`,
            ca: standIn.caPem,
            headers: { servicebusauthorization: token(standIn, SEND_RULE), 'content-length': '2' },
        });
        outgoing.end('{}');
        const [response] = (await once(outgoing, 'response')) as [IncomingMessage];
        response.resume();

        // Assess
        expect(response.statusCode).toBe(200);
        expect(response.headers['x-echo-path']).toBe('/ops/x?z=1&a=b%20c&flag&q=%2F+');
    });
});
