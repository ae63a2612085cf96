import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { readFramedMessages, sendFramed } from '../../agent/relay/framed-channel';
import type { RelayExchange } from './relay-exchange';

/**
 * A rendezvous WebSocket bound to the sender connection it was opened for, as the service keeps it
 * (Azure Relay Hybrid Connections protocol, "Request message"): "The service will maintain the
 * WebSocket for as long as the HTTPS socket connection with the sender persists and will route all
 * subsequent requests from that sender over the maintained WebSocket. If the listener chooses to drop
 * the rendezvous WebSocket from its side, the service will also drop the connection to the sender,
 * irrespective of whether a subsequent request might already be in progress." And ("Responding via
 * rendezvous"): the service "shuts down the WebSocket when the client's HTTP socket shuts down"
 * (1001, "The sender client shuts down the connection").
 */
export class KeptRendezvous {
    private readonly pending = new Map<string, RelayExchange>();

    constructor(
        readonly socket: WebSocket,
        private readonly sender: Socket,
        onGone: () => void,
    ) {
        readFramedMessages(
            socket,
            (framed) => {
                if (framed.message.kind !== 'response') return;
                const exchange = this.pending.get(framed.message.response.requestId);
                this.pending.delete(framed.message.response.requestId);
                exchange?.answer(framed.message.response, framed.body, 'rendezvous');
            },
            () => socket.terminate(),
        );
        const onSenderClosed = (): void => {
            if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'The sender client shut down the connection');
        };
        sender.once('close', onSenderClosed);
        socket.once('close', () => {
            sender.off('close', onSenderClosed);
            onGone();
            for (const exchange of this.pending.values()) exchange.fail('listener-dropped');
            // No `Connection: close` warned the sender: its connection just ends. A request in progress
            // is cut; an idle connection is closed once what was written to it has left.
            if (this.pending.size > 0) sender.destroy();
            else sender.end();
            this.pending.clear();
        });
    }

    get open(): boolean {
        return this.socket.readyState === WebSocket.OPEN;
    }

    /** Waits for the answer to an exchange that is already on its way to the listener (delivered on the control channel). */
    expect(exchange: RelayExchange): void {
        this.pending.set(exchange.id, exchange);
    }

    /** Sends the whole request over the rendezvous and waits for its answer there. */
    async deliver(exchange: RelayExchange): Promise<void> {
        this.pending.set(exchange.id, exchange);
        await sendFramed(this.socket, exchange.fullRequestMessage(), exchange.request.body);
    }
}
