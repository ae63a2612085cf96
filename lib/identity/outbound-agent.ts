import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { OutboundSettings, OutboundAddress } from './outbound-settings';

/**
 * An HTTPS agent that connects to the address configured for a host while keeping that host for
 * SNI, the Host header and certificate verification, so TLS is verified exactly as for the real
 * endpoint (against `trustedCaPem` instead of the system store when one is given).
 */
class RoutingAgent extends https.Agent {
    constructor(
        private readonly routes: ReadonlyMap<string, OutboundAddress>,
        trustedCaPem: string | undefined,
    ) {
        super({ keepAlive: true, ...(trustedCaPem === undefined ? {} : { ca: trustedCaPem }) });
    }

    override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
        if (this.routes.size === 0) return super.createConnection(options, callback);
        const host = (options.host ?? options.hostname ?? '').toLowerCase();
        const route = this.routes.get(host);
        if (route === undefined) {
            throw new Error(`outbound: no route configured for host "${host}" (sandboxed outbound refuses unlisted hosts)`);
        }
        return super.createConnection({ ...options, host: route.host, port: route.port, servername: host }, callback);
    }
}

/** The agent for the product's Azure clients, or undefined for the defaults (production). */
export function createOutboundAgent(settings: OutboundSettings): https.Agent | undefined {
    if (settings.trustedCaPem === undefined && settings.connectTo.size === 0) return undefined;
    return new RoutingAgent(settings.connectTo, settings.trustedCaPem);
}
