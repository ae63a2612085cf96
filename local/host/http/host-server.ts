import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalHostError } from '../errors';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface HostServer {
    readonly port: number;
    close(): Promise<void>;
}

/** Listens on 127.0.0.1 only; the local host is never reachable from another machine. */
export function startHostServer(port: number, handler: RequestHandler, onError: (error: unknown) => void): Promise<HostServer> {
    const server = createServer((request, response) => {
        handler(request, response).catch((error: unknown) => {
            onError(error);
            if (!response.headersSent) response.writeHead(500, { 'content-length': 0 });
            response.end();
        });
    });
    return new Promise((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => {
            const message = error.code === 'EADDRINUSE' ? `Port ${port} on 127.0.0.1 is already in use.` : `The local host could not listen on 127.0.0.1:${port}: ${error.message}`;
            reject(new LocalHostError('listen', message, { cause: error, remedy: error.code === 'EADDRINUSE' ? 'Stop the other process or choose another port (0 picks a free one).' : undefined }));
        });
        server.listen(port, '127.0.0.1', () => {
            const address = server.address() as AddressInfo;
            resolve({
                port: address.port,
                close: () =>
                    new Promise<void>((done) => {
                        server.close(() => done());
                        server.closeAllConnections();
                    }),
            });
        });
    });
}
