import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import { MAX_REQUEST_BODY_BYTES } from '../../lib/protocol';
import { HYBRID_CONNECTION, LISTEN_RULE, standInTls } from './relay-harness';

const MIB = 1024 * 1024;
const ATTACK_BYTES = 64 * MIB;
const FRAGMENT_BYTES = 64 * 1024;
/**
 * Bytes that loopback TCP and TLS can take in between the relay writing them and the agent reading
 * them (Linux autotunes socket buffers up to tcp_wmem + tcp_rmem, 4 MiB + 6 MiB by default): the
 * relay's count of what it handed over includes them although the agent never held them.
 */
const IN_FLIGHT_ALLOWANCE = 12 * MIB;

type Framing = 'one frame' | 'fragments';

/** What the relay saw on the rendezvous socket while it streamed a body. */
interface Streamed {
    /** Bytes the relay had handed to the connection when the listener's first bytes (its refusal or answer) arrived. */
    readonly bytesAccepted: number;
    readonly closeCode: number | undefined;
    readonly answered: boolean;
}

/**
 * Plays the relay's part of the protocol guide with a real TLS WebSocket server: announces a request
 * on the control channel, then, on the rendezvous socket the listener opens, sends the request
 * message and a body of `bodyBytes`, either as one frame that declares its whole length or as
 * 64 KiB fragments, as the service does. Stops writing when the listener answers or closes.
 */
class BodyStreamingRelay {
    readonly server: Server;
    private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    readonly streamed: Promise<Streamed>;
    private report!: (streamed: Streamed) => void;

    constructor(bodyBytes: number, framing: Framing) {
        const tls = standInTls();
        this.streamed = new Promise((resolve) => {
            this.report = resolve;
        });
        this.server = createServer({ key: tls.keyPem, cert: tls.certPem });
        this.server.on('upgrade', (request, socket, head) => {
            this.sockets.handleUpgrade(request, socket, head, (ws) => {
                if (request.url?.includes('sb-hc-action=listen') === true) ws.send(JSON.stringify({ request: { address: `wss://${this.authority()}/$hc/${HYBRID_CONNECTION}?sb-hc-action=request&sb-hc-id=1` } }));
                else void this.streamBody(ws, socket as Duplex & { bytesWritten: number; writableLength: number }, bodyBytes, framing);
            });
        });
    }

    authority(): string {
        return `localhost:${(this.server.address() as AddressInfo).port}`;
    }

    async listen(): Promise<void> {
        await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    }

    async stop(): Promise<void> {
        for (const client of this.sockets.clients) client.terminate();
        await new Promise((resolve) => this.server.close(resolve));
    }

    private async streamBody(ws: WebSocket, raw: Duplex & { bytesWritten: number; writableLength: number }, bodyBytes: number, framing: Framing): Promise<void> {
        let answered = false;
        let bytesAccepted: number | undefined;
        // The listener sends nothing on the rendezvous but its answer or its close frame: the first
        // bytes from it mark the moment it stopped taking the body.
        raw.once('data', () => {
            bytesAccepted = raw.bytesWritten - raw.writableLength;
        });
        ws.on('message', () => {
            answered = true;
        });
        const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
        const request = { request: { id: '1', requestTarget: `/${HYBRID_CONNECTION}/ops/inventory`, method: 'POST', requestHeaders: { 'content-type': 'application/json' }, body: true } };
        const send = (data: string | Buffer, options: { binary: boolean; fin: boolean }): Promise<boolean> =>
            new Promise((resolve) => ws.send(data, { ...options, compress: false }, (error) => resolve(error === undefined || error === null)));
        await send(JSON.stringify(request), { binary: false, fin: true });
        if (framing === 'one frame') {
            // The frame's header declares all of it, then the payload follows.
            void send(Buffer.alloc(bodyBytes, 0x20), { binary: true, fin: true });
        } else {
            const fragment = Buffer.alloc(FRAGMENT_BYTES, 0x20);
            for (let offset = 0; offset < bodyBytes && ws.readyState === WebSocket.OPEN && bytesAccepted === undefined; offset += FRAGMENT_BYTES) {
                if (!(await send(fragment, { binary: true, fin: offset + FRAGMENT_BYTES >= bodyBytes }))) break;
            }
        }
        const closeCode = await Promise.race([closed, new Promise<undefined>((resolve) => ws.once('message', () => resolve(undefined)))]);
        this.report({ bytesAccepted: bytesAccepted ?? raw.bytesWritten, closeCode, answered });
    }
}

describe('request bodies over the limit on a rendezvous socket (issue 15, finding 6)', () => {
    let relay: BodyStreamingRelay | undefined;
    let listener: HybridConnectionListener | undefined;

    afterEach(async () => {
        await listener?.close();
        await relay?.stop();
    });

    it.each<[Framing, string]>([
        ['one frame', 'by the length its frame header declares'],
        ['fragments', 'as soon as its 64 KiB fragments add up to more than 1 MiB'],
    ])('refuses a 64 MiB body sent as %s %s, and never hands it to the handler', async (framing) => {
        // Prepare
        relay = new BodyStreamingRelay(ATTACK_BYTES, framing);
        await relay.listen();
        const handled: number[] = [];
        listener = new HybridConnectionListener({
            namespace: relay.authority(),
            hybridConnection: HYBRID_CONNECTION,
            listenRule: LISTEN_RULE,
            ca: standInTls().caPem,
            handler: (request) => {
                handled.push(request.body.length);
                return Promise.resolve({ status: 413, headers: {}, body: Buffer.alloc(0) });
            },
        });

        // Act
        listener.start();
        const streamed = await relay.streamed;

        // Assess
        expect(streamed.answered).toBe(false);
        expect(streamed.closeCode).toBe(1009);
        expect(streamed.bytesAccepted).toBeLessThan(MAX_REQUEST_BODY_BYTES + IN_FLIGHT_ALLOWANCE);
        expect(handled).toEqual([]);
    });
});
