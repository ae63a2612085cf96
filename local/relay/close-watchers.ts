import type { WebSocket } from 'ws';

type OnClose = (code: number) => void;

const watchers = new WeakMap<WebSocket, Set<OnClose>>();

/**
 * Calls `onClose` with the close code when the socket closes; returns the function that stops
 * watching. However many callers watch a socket (one per request in flight on a listener's control
 * channel), it carries a single `close` listener.
 */
export function watchClose(socket: WebSocket, onClose: OnClose): () => void {
    let callbacks = watchers.get(socket);
    if (callbacks === undefined) {
        const created = new Set<OnClose>();
        watchers.set(socket, created);
        socket.once('close', (code: number) => {
            watchers.delete(socket);
            for (const callback of created) callback(code);
        });
        callbacks = created;
    }
    const watching = callbacks;
    watching.add(onClose);
    return () => void watching.delete(onClose);
}
