import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyPolicy } from '../../agent/relay/outbound-proxy';

/**
 * A real HTTP CONNECT proxy (Debian's tinyproxy) on a loopback port, with a configuration file of
 * its own: never the system service. `npm test` brings tinyproxy (scripts/test-tools/tinyproxy.mjs)
 * and names it in PPO_TEST_TINYPROXY.
 */
export interface RunningTinyproxy {
    readonly port: number;
    /** `http://[user:password@]127.0.0.1:port`, as HTTPS_PROXY would carry it. */
    readonly url: string;
    readonly policy: ProxyPolicy;
    /** The CONNECT targets (host:port) the proxy opened tunnels to, from its log. */
    tunnels(): string[];
    stop(): Promise<void>;
}

export function tinyproxyExecutable(): string {
    const configured = process.env.PPO_TEST_TINYPROXY;
    const candidates = configured === undefined || configured === '' ? ['tinyproxy', '/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'] : [configured];
    const found = candidates.find((candidate) => spawnSync(candidate, ['-v'], { encoding: 'utf8' }).status === 0);
    if (found === undefined) {
        throw new Error(`tinyproxy is needed for the proxy tests and was not found (${candidates.join(', ')}): run them through \`npm test\`, which installs it, or install it (apt-get install -y tinyproxy) or set PPO_TEST_TINYPROXY`);
    }
    return found;
}

async function freePort(): Promise<number> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    server.close();
    await once(server, 'close');
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
}

async function accepting(port: number, child: ChildProcess, output: () => string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`tinyproxy exited (${child.exitCode}): ${output().slice(-500)}`);
        const ok = await new Promise<boolean>((resolve) => {
            const socket = connect(port, '127.0.0.1');
            socket.once('connect', () => {
                socket.destroy();
                resolve(true);
            });
            socket.once('error', () => resolve(false));
        });
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`tinyproxy did not accept connections on port ${port}: ${output().slice(-500)}`);
}

export async function startTinyproxy(options: { basicAuth?: { user: string; password: string } } = {}): Promise<RunningTinyproxy> {
    const executable = tinyproxyExecutable();
    const folder = await mkdtemp(join(tmpdir(), 'ppo-tinyproxy-'));
    const port = await freePort();
    const config = [
        `Port ${port}`,
        'Listen 127.0.0.1',
        'Timeout 600',
        'MaxClients 200',
        'LogLevel Connect',
        'Allow 127.0.0.1',
        // No ConnectPort line: CONNECT to any port (the stand-in's), as tinyproxy documents.
        ...(options.basicAuth === undefined ? [] : [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`]),
    ].join('\n');
    const configFile = join(folder, 'tinyproxy.conf');
    await writeFile(configFile, `${config}\n`);
    // -d: stay in the foreground and log to stdout, where the tests read the tunnels it opened.
    const child = spawn(executable, ['-d', '-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    await accepting(port, child, () => log);
    const credentials = options.basicAuth === undefined ? '' : `${encodeURIComponent(options.basicAuth.user)}:${encodeURIComponent(options.basicAuth.password)}@`;
    return {
        port,
        url: `http://${credentials}127.0.0.1:${port}`,
        policy: {
            server: { host: '127.0.0.1', port, source: 'test', ...(options.basicAuth === undefined ? {} : { username: options.basicAuth.user, password: options.basicAuth.password }) },
            bypass: [],
        },
        tunnels: () => [...log.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1] ?? ''),
        stop: async () => {
            if (child.exitCode === null) {
                child.kill('SIGTERM');
                await once(child, 'exit');
            }
            await rm(folder, { recursive: true, force: true });
        },
    };
}
