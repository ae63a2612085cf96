import { WebSocket, type ClientOptions } from 'ws';

/** Resolves with the socket once open; rejects when the handshake fails. */
export function openWebSocket(url: string, options: ClientOptions): Promise<WebSocket> {
    return new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, options);
        socket.once('open', () => resolve(socket));
        socket.once('error', (error) => reject(error));
    });
}

/** Closes cleanly, or cuts the socket when the peer does not complete the close in time. */
export function closeWebSocket(socket: WebSocket, reason: string, graceMs = 2_000): Promise<void> {
    return new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        const timer = setTimeout(() => socket.terminate(), graceMs);
        socket.once('close', () => {
            clearTimeout(timer);
            resolve();
        });
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000, reason);
    });
}
