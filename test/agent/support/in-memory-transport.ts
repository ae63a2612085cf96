import type { AgentTransport, AgentTransportRequest } from '../../../lib/relay/transport';
import type { RelayedRequestHandler, RelayedResponse } from '../../../agent/relay/types';

/** An AgentTransport that hands each request straight to an agent request handler, as the relay would. */
export class InMemoryAgentTransport implements AgentTransport {
    readonly sent: { hybridConnection: string; request: AgentTransportRequest }[] = [];

    constructor(
        private readonly handlers: Readonly<Record<string, RelayedRequestHandler>>,
        private readonly alter: (response: RelayedResponse) => RelayedResponse = (response) => response,
    ) {}

    async send(hybridConnection: string, request: AgentTransportRequest): Promise<RelayedResponse> {
        this.sent.push({ hybridConnection, request });
        const handler = this.handlers[hybridConnection];
        if (handler === undefined) throw new Error(`no agent on ${hybridConnection}`);
        return this.alter(await handler({ method: 'POST', path: request.path, headers: request.headers, body: request.body }));
    }
}
