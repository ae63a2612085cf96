import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { ConfigurationError, PermanentError, type PushProxyError, TransientError } from '../../lib/errors';

/**
 * Outbound HTTP proxy for the agent's relay WebSockets (control channel and rendezvous). Exchange
 * servers often reach the internet only through an explicit proxy; Microsoft's .NET listener sends
 * both sockets through the system proxy (azure-relay-dotnet `HybridHttpConnection.EnsureRendezvousAsync`
 * calls `DefaultWebProxy.ConfigureProxy` with the listener's `Proxy`). Node has no system proxy, so the
 * agent opens an HTTP CONNECT tunnel (RFC 9110 section 9.3.6) itself and runs TLS inside it.
 * Authentication: Basic (RFC 7617), which is what Node can do without native code; NTLM and
 * Kerberos proxies need the relay hosts allowed without authentication (docs/agent.md).
 */
export interface ProxyServer {
    readonly host: string;
    readonly port: number;
    readonly username?: string;
    readonly password?: string;
    /** "configuration (relay.proxy)" or the environment variable it came from. */
    readonly source: string;
}

/** Which proxy the agent uses, and for which hosts it goes direct. */
export interface ProxyPolicy {
    readonly server: ProxyServer | undefined;
    /** NO_PROXY entries: "*", host names ("corp.contoso.com" also covers its subdomains), IP addresses, each with an optional ":port". */
    readonly bypass: readonly string[];
}

/** The agent configuration's `relay.proxy`: a proxy, or "direct" to ignore HTTPS_PROXY. */
export type ConfiguredProxy = 'direct' | { readonly url: string; readonly username?: string | undefined; readonly password?: string | undefined; readonly bypass?: readonly string[] | undefined };

export const NO_PROXY_POLICY: ProxyPolicy = { server: undefined, bypass: [] };

function parseProxyUrl(value: string, source: string): ProxyServer {
    let url: URL;
    try {
        url = new URL(value.includes('://') ? value : `http://${value}`);
    } catch (error) {
        throw new ConfigurationError(`The proxy from ${source} is not a URL.`, { remedy: 'Set it as http://proxy.corp.contoso.com:8080.', cause: error });
    }
    if (url.protocol !== 'http:') {
        throw new ConfigurationError(`The proxy from ${source} uses ${url.protocol}; the agent speaks HTTP CONNECT to its proxy (http://).`, {
            remedy: 'Set the proxy as http://host:port; the relay traffic inside the tunnel is TLS either way.',
        });
    }
    const username = url.username === '' ? undefined : decodeURIComponent(url.username);
    const password = url.password === '' ? undefined : decodeURIComponent(url.password);
    return {
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? 80 : Number(url.port),
        ...(username === undefined ? {} : { username }),
        ...(password === undefined ? {} : { password }),
        source,
    };
}

function splitList(value: string | undefined): string[] {
    return (value ?? '')
        .split(/[\s,]+/)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
    for (const name of names) {
        const value = env[name];
        if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
    }
    return undefined;
}

/**
 * The configured proxy wins; otherwise HTTPS_PROXY (the relay is only reached over https/wss), then
 * ALL_PROXY, with NO_PROXY, as curl and most tools read them (either case).
 */
export function resolveProxyPolicy(configured: ConfiguredProxy | undefined, env: NodeJS.ProcessEnv): ProxyPolicy {
    if (configured === 'direct') return NO_PROXY_POLICY;
    if (configured !== undefined) {
        const fromUrl = parseProxyUrl(configured.url, 'configuration (relay.proxy)');
        const username = configured.username ?? fromUrl.username;
        const password = configured.password ?? fromUrl.password;
        return {
            server: { host: fromUrl.host, port: fromUrl.port, source: fromUrl.source, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) },
            bypass: [...(configured.bypass ?? [])],
        };
    }
    const proxy = firstSet(env, ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy']);
    if (proxy === undefined) return NO_PROXY_POLICY;
    return { server: parseProxyUrl(proxy.value, proxy.name), bypass: splitList(firstSet(env, ['NO_PROXY', 'no_proxy'])?.value) };
}

function bypassMatches(entry: string, host: string, port: number): boolean {
    if (entry === '*') return true;
    let name = entry.toLowerCase();
    let entryPort: number | undefined;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(name);
    if (portMatch !== null && !name.includes('::')) {
        name = portMatch[1] ?? name;
        entryPort = Number(portMatch[2]);
    }
    if (entryPort !== undefined && entryPort !== port) return false;
    name = name.replace(/^\[(.*)\]$/, '$1').replace(/^\*?\./, '');
    const target = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (isIP(target) !== 0 || isIP(name) !== 0) return target === name;
    return target === name || target.endsWith(`.${name}`);
}

/** The proxy to reach host:port through, or undefined to connect directly. */
export function proxyFor(policy: ProxyPolicy, host: string, port: number): ProxyServer | undefined {
    if (policy.server === undefined) return undefined;
    return policy.bypass.some((entry) => bypassMatches(entry, host, port)) ? undefined : policy.server;
}

/** For `agent check` and logs: the proxy without its password. */
export function describeProxy(policy: ProxyPolicy): string {
    const server = policy.server;
    if (server === undefined) return 'none (direct connection)';
    const user = server.username === undefined ? '' : `${encodeURIComponent(server.username)}${server.password === undefined ? '' : ':****'}@`;
    const host = isIP(server.host) === 6 ? `[${server.host}]` : server.host;
    const bypass = policy.bypass.length === 0 ? '' : `, bypassed for ${policy.bypass.join(',')}`;
    return `http://${user}${host}:${server.port} (from ${server.source}${bypass})`;
}

const TUNNEL_TIMEOUT_MS = 30_000;
/** A proxy's answer to CONNECT is a status line and a few headers; more is not an answer. */
const MAX_PROXY_ANSWER_BYTES = 16 * 1024;

function authority(host: string, port: number): string {
    return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

function tunnelRefused(server: ProxyServer, target: string, status: number, reason: string): PushProxyError {
    const proxy = authority(server.host, server.port);
    // RFC 9110 says 407; some proxies answer a CONNECT with 401 instead (tinyproxy 1.11 does).
    if (status === 407 || status === 401) {
        const detail = server.username === undefined ? 'asks for authentication and none is configured' : `refused the credentials of "${server.username}"`;
        return new PermanentError('relay-proxy-auth-failed', `The proxy ${proxy} ${detail} (${status} ${reason})`, {
            remedy: 'Set relay.proxy.username and relay.proxy.password (Basic authentication), or have the proxy allow the relay hosts without authentication: docs/agent.md lists them.',
        });
    }
    if (status === 403) {
        return new PermanentError('relay-proxy-forbidden', `The proxy ${proxy} does not allow a tunnel to ${target} (403 ${reason})`, {
            remedy: 'Allow the relay namespace and its gateway hosts on port 443 in the proxy: docs/agent.md lists them.',
        });
    }
    return new TransientError('relay-proxy-refused', `The proxy ${proxy} could not open a tunnel to ${target} (${status} ${reason})`);
}

/** Opens a TCP tunnel to host:port through the proxy (HTTP CONNECT); resolves once the proxy answered 2xx. */
export function openProxyTunnel(server: ProxyServer, host: string, port: number, timeoutMs = TUNNEL_TIMEOUT_MS): Promise<Socket> {
    const target = authority(host, port);
    return new Promise<Socket>((resolve, reject) => {
        const socket = netConnect({ host: server.host, port: server.port });
        let answer = Buffer.alloc(0);
        const fail = (error: PushProxyError): void => {
            cleanup();
            socket.destroy();
            reject(error);
        };
        const onError = (error: Error & { code?: string }): void =>
            fail(new TransientError('relay-proxy-unreachable', `The proxy ${authority(server.host, server.port)} (from ${server.source}) cannot be reached (${error.code ?? error.message})`, { cause: error }));
        const onClose = (): void => fail(new TransientError('relay-proxy-refused', `The proxy ${authority(server.host, server.port)} closed the connection before answering CONNECT ${target}`));
        const onData = (chunk: Buffer): void => {
            answer = Buffer.concat([answer, chunk]);
            const end = answer.indexOf('\r\n\r\n');
            if (end === -1) {
                if (answer.length > MAX_PROXY_ANSWER_BYTES) fail(new TransientError('relay-proxy-refused', `The proxy ${authority(server.host, server.port)} sent no valid answer to CONNECT ${target}`));
                return;
            }
            const statusLine = /^HTTP\/1\.[01] (\d{3}) ?([^\r\n]*)/.exec(answer.subarray(0, end).toString('latin1'));
            const status = Number(statusLine?.[1] ?? 0);
            if (status < 200 || status > 299) return fail(tunnelRefused(server, target, status, statusLine?.[2] ?? 'no status line'));
            cleanup();
            // Bytes after the answer already belong to the tunnel (the relay speaks first only after TLS, so normally none).
            const rest = answer.subarray(end + 4);
            if (rest.length > 0) socket.unshift(rest);
            resolve(socket);
        };
        const timer = setTimeout(() => fail(new TransientError('relay-proxy-timeout', `The proxy ${authority(server.host, server.port)} did not answer CONNECT ${target} within ${timeoutMs} ms`)), timeoutMs);
        function cleanup(): void {
            clearTimeout(timer);
            socket.off('error', onError);
            socket.off('close', onClose);
            socket.off('data', onData);
        }
        socket.on('error', onError);
        socket.on('close', onClose);
        socket.on('data', onData);
        socket.once('connect', () => {
            const credentials = server.username === undefined ? undefined : Buffer.from(`${server.username}:${server.password ?? ''}`, 'utf8').toString('base64');
            socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${credentials === undefined ? '' : `Proxy-Authorization: Basic ${credentials}\r\n`}\r\n`);
        });
    });
}

type CreateConnection = (options: ConnectionOptions & { host?: string | null; port?: number | string | null }, callback: (error: Error | null, socket?: TLSSocket) => void) => undefined;

/**
 * A `createConnection` for ws (and Node's http) that reaches the server through the proxy and runs
 * TLS inside the tunnel with the caller's TLS options (CA, server name). Node's ClientRequest accepts
 * the asynchronous form: it waits for the callback when createConnection returns nothing.
 */
export function connectThroughProxy(server: ProxyServer): CreateConnection {
    return (options, callback) => {
        const host = options.host ?? 'localhost';
        const port = Number(options.port ?? 443);
        openProxyTunnel(server, host, port).then(
            (tunnel) => {
                const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
                const secure = tlsConnect({ ...options, host, port, socket: tunnel, ...(servername === undefined || servername === '' ? {} : { servername }) });
                callback(null, secure);
            },
            (error: Error) => callback(error),
        );
        return undefined;
    };
}
