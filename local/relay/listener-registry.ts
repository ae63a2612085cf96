import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

/** A listener's control channel, with the timer that ends it when its token expires unrenewed. */
export interface ListenerConnection {
    readonly id: string;
    readonly path: string;
    readonly socket: WebSocket;
    expiryTimer: NodeJS.Timeout | undefined;
}

/** Control channels connected per hybrid connection; requests are spread across them at random. */
export class ListenerRegistry {
    private readonly byPath = new Map<string, Set<ListenerConnection>>();

    add(path: string, socket: WebSocket): ListenerConnection {
        const connection: ListenerConnection = { id: randomUUID(), path, socket, expiryTimer: undefined };
        const set = this.byPath.get(path) ?? new Set<ListenerConnection>();
        set.add(connection);
        this.byPath.set(path, set);
        return connection;
    }

    remove(connection: ListenerConnection): void {
        clearTimeout(connection.expiryTimer);
        this.byPath.get(connection.path)?.delete(connection);
    }

    count(path: string): number {
        return this.byPath.get(path)?.size ?? 0;
    }

    pick(path: string, random: () => number = Math.random): ListenerConnection | undefined {
        const candidates = [...(this.byPath.get(path) ?? [])].filter((c) => c.socket.readyState === c.socket.OPEN);
        return candidates[Math.floor(random() * candidates.length)];
    }

    all(path?: string): ListenerConnection[] {
        if (path !== undefined) return [...(this.byPath.get(path) ?? [])];
        return [...this.byPath.values()].flatMap((set) => [...set]);
    }
}
