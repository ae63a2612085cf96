import { WebSocket } from 'ws';
import type { Logger } from '../../lib/logger';
import { sasTokenExpiry } from '../../lib/relay/sas-token';

export interface TokenRenewal {
    readonly firstToken: string;
    readonly newToken: () => string;
    /** Renew this long before expiry, or at half the remaining life when that is sooner. */
    readonly marginMs: number;
    readonly now: () => number;
    readonly logger: Logger;
}

/**
 * Sends `renewToken` ahead of each token's expiry, since the relay drops a control channel whose
 * token expires. Returns the function that stops renewing.
 */
export function scheduleTokenRenewal(socket: WebSocket, renewal: TokenRenewal): () => void {
    const delayFor = (token: string): number => {
        const remainingMs = (sasTokenExpiry(token) ?? 0) * 1000 - renewal.now();
        return Math.max(0, remainingMs - Math.min(renewal.marginMs, remainingMs / 2));
    };
    let timer: NodeJS.Timeout;
    const renew = (): void => {
        if (socket.readyState !== WebSocket.OPEN) return;
        const token = renewal.newToken();
        socket.send(JSON.stringify({ renewToken: { token } }), (error) => {
            if (error) renewal.logger.warn('token renewal could not be sent', { error: error.message });
        });
        renewal.logger.debug('listen token renewed');
        timer = setTimeout(renew, delayFor(token));
    };
    timer = setTimeout(renew, delayFor(renewal.firstToken));
    return () => clearTimeout(timer);
}

/**
 * Unsolicited pongs (RFC 6455 allows them as a one-way heartbeat) keep NATs and load balancers
 * from dropping an idle control channel; a failed write marks the channel dead.
 */
export function scheduleKeepAlive(socket: WebSocket, intervalMs: number): () => void {
    const timer = setInterval(() => {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.pong(undefined, undefined, (error?: Error) => {
            if (error) socket.terminate();
        });
    }, intervalMs);
    return () => clearInterval(timer);
}
