import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RelaySender } from '../../lib/relay/relay-sender';
import { HYBRID_CONNECTION, SEND_RULE, standInTls } from './relay-harness';

const MIB = 1024 * 1024;
const LIMIT = MIB;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

type Framing = 'declares 64 MiB' | 'streams 64 MiB without a length';

/**
 * Stands where the relay would and answers every request with a 64 MiB body: announced by
 * Content-Length and then held back after the first 64 KiB (a sender that waits for the rest is
 * stuck until its timeout), or sent chunked without a length for as long as the sender reads.
 */
function startOversizedAnswerer(framing: Framing): Promise<{ server: Server; namespace: string; written: () => number }> {
    const tls = standInTls();
    let written = 0;
    const answer = async (response: ServerResponse): Promise<void> => {
        if (framing === 'declares 64 MiB') {
            response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * MIB), via: '1.1 relay' });
            response.write(CHUNK);
            written += CHUNK.length;
            return;
        }
        response.writeHead(200, { 'content-type': 'application/json', via: '1.1 relay' });
        while (written < 64 * MIB && !response.destroyed) {
            const flushed = response.write(CHUNK);
            written += CHUNK.length;
            if (!flushed) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
        }
        response.end();
    };
    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (request, response) => {
        request.resume();
        request.on('end', () => void answer(response));
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, namespace: `localhost:${(server.address() as AddressInfo).port}`, written: () => written })));
}

describe('answers over the limit from the relay (issue 15, finding 6)', () => {
    let server: Server | undefined;
    let sender: RelaySender | undefined;

    afterEach(async () => {
        sender?.close();
        server?.closeAllConnections();
        await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
    });

    it.each<[Framing]>([['declares 64 MiB'], ['streams 64 MiB without a length']])('refuses an answer that %s as too large instead of reading it', async (framing) => {
        // Prepare
        const answerer = await startOversizedAnswerer(framing);
        server = answerer.server;
        sender = new RelaySender({ namespace: answerer.namespace, sendRule: SEND_RULE, ca: standInTls().caPem, maxResponseBytes: LIMIT, defaultTimeoutMs: 10_000 });

        // Act
        const sending = sender.send(HYBRID_CONNECTION, { path: '/ops/inventory', headers: {}, body: Buffer.from('{}') });

        // Assess
        await expect(sending).rejects.toMatchObject({ code: 'relay-response-too-large' });
        expect(answerer.written()).toBeLessThan(64 * MIB);
    });
});
