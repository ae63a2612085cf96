import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { sendFramed } from '../../agent/relay/framed-channel';
import { CONTROL_CHANNEL_BODY_LIMIT, type ResponseMessage } from '../../agent/relay/protocol-messages';
import { watchClose } from './close-watchers';
import type { KeptRendezvous } from './kept-rendezvous';
import type { RelayChannel } from './stand-in-types';

/** WebSocket close code of a connection that ended without a close frame. */
const ABNORMAL_CLOSURE = 1006;

/** Headers on the control channel are limited to 32 kB; more forces a rendezvous. */
const CONTROL_CHANNEL_HEADER_LIMIT = 32 * 1024;

export interface ForwardedRequest {
    readonly method: string;
    readonly requestTarget: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
}

export interface ListenerAnswer {
    readonly status: number;
    readonly description: string | undefined;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
    readonly channel: RelayChannel;
}

export type ExchangeOutcome = { readonly answered: ListenerAnswer } | { readonly failed: 'listener-dropped' | 'relay-stopped' };

/**
 * One sender request on its way to a listener and back: delivered on the control channel when it
 * is small, otherwise announced there and handed over on the rendezvous socket the listener opens.
 */
export class RelayExchange {
    readonly id = randomUUID();
    readonly outcome: Promise<ExchangeOutcome>;
    private settle!: (outcome: ExchangeOutcome) => void;
    private delivered: RelayChannel | undefined;
    private onRendezvous = false;
    private stopWatchingControl: () => void = () => undefined;
    /** Where the listener connects for this exchange; valid for this exchange only. */
    readonly address: string;

    constructor(
        readonly path: string,
        readonly request: ForwardedRequest,
        addressFor: (id: string) => string,
    ) {
        this.address = addressFor(this.id);
        this.outcome = new Promise<ExchangeOutcome>((resolve) => {
            this.settle = resolve;
        });
    }

    get requestChannel(): RelayChannel {
        return this.delivered ?? 'control';
    }

    get hasRendezvous(): boolean {
        return this.onRendezvous;
    }

    fullRequestMessage(): unknown {
        return {
            request: {
                address: this.address,
                id: this.id,
                requestTarget: this.request.requestTarget,
                method: this.request.method,
                requestHeaders: this.request.headers,
                body: this.request.body.length > 0,
            },
        };
    }

    async dispatch(control: WebSocket): Promise<void> {
        // A listener that closes its control channel in order may still answer on a rendezvous (it
        // does during a graceful shutdown). One whose connection is lost (no close frame: a crash, a
        // network drop) is gone: unless a rendezvous already took the request over, nobody will
        // answer, and the sender is told at once instead of after the answer timeout.
        const onClose = (code: number): void => {
            if (code === ABNORMAL_CLOSURE && !this.onRendezvous) this.settle({ failed: 'listener-dropped' });
        };
        this.stopWatchingControl = watchClose(control, onClose);
        const headerBytes = Buffer.byteLength(JSON.stringify(this.request.headers));
        if (this.request.body.length <= CONTROL_CHANNEL_BODY_LIMIT && headerBytes <= CONTROL_CHANNEL_HEADER_LIMIT) {
            this.delivered = 'control';
            await sendFramed(control, this.fullRequestMessage(), this.request.body);
        } else {
            await sendFramed(control, { request: { address: this.address, id: this.id } }, undefined);
        }
    }

    /** The listener connected to this exchange's rendezvous address: the request goes there unless the control channel carried it. */
    async takeOver(rendezvous: KeptRendezvous): Promise<void> {
        this.onRendezvous = true;
        if (this.delivered !== undefined) return rendezvous.expect(this);
        this.delivered = 'rendezvous';
        await rendezvous.deliver(this);
    }

    /** A later request of a sender connection whose rendezvous the service keeps: it goes over that rendezvous. */
    async dispatchOverRendezvous(rendezvous: KeptRendezvous): Promise<void> {
        this.onRendezvous = true;
        this.delivered = 'rendezvous';
        await rendezvous.deliver(this);
    }

    answer(response: ResponseMessage, body: Buffer | undefined, channel: RelayChannel): void {
        this.settle({
            answered: {
                status: response.statusCode,
                description: response.statusDescription ?? undefined,
                headers: response.responseHeaders ?? {},
                body: body ?? Buffer.alloc(0),
                channel,
            },
        });
    }

    fail(reason: 'listener-dropped' | 'relay-stopped'): void {
        this.settle({ failed: reason });
    }

    /** Stops watching the control channel once the exchange is over, whether it was answered, failed or timed out. */
    dispose(): void {
        this.stopWatchingControl();
    }
}
