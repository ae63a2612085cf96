import { describe, expect, it } from 'vitest';
import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../agent/exchange-shell';
import { executeOperation } from '../../agent/operations/execute-operation';
import { ExchangeShellPool, shares } from '../../agent/shell/exchange-shell-pool';
import { createPowerShellShell } from '../../agent/create-shell';
import { parseAgentConfig } from '../../agent/config';
import { PermanentError, PushProxyError, TransientError } from '../../lib/errors';
import { Logger, silentSink } from '../../lib/logger';
import { EXCHANGE_SESSIONS, type InstallCertificateResult } from '../../lib/protocol';
import { EMPTY_INVENTORY } from './support/scripted-shell';

const THUMBPRINT = 'A'.repeat(40);

const INVENTORY = EMPTY_INVENTORY;

interface Pending {
    readonly session: number;
    readonly operation: string;
    readonly argument: unknown;
    finish(result?: unknown): void;
    fail(error: Error): void;
}

/** Sessions whose every operation waits until the test finishes it; counts what runs at once, overall and per session. */
class SessionBench {
    readonly pending: Pending[] = [];
    readonly opened: number[] = [];
    readonly closed: number[] = [];
    missingCmdlets: Record<number, string[]> = {};
    running = 0;
    mostAtOnce = 0;
    sessionOverlaps = 0;
    private readonly busy = new Set<number>();

    open = (index: number): ExchangeShell => {
        this.opened.push(index);
        const call = (operation: string) => (argument?: unknown) => this.start(index, operation, argument);
        return {
            inventory: call('inventory'),
            installCertificate: call('installCertificate'),
            setAuthConfig: call('setAuthConfig'),
            ensureAuthServer: call('ensureAuthServer'),
            enablePushProxy: call('enablePushProxy'),
            restartHealthManager: call('restartHealthManager'),
            restartAuthServices: call('restartAuthServices'),
            invokeProbe: call('invokeProbe'),
            checkReady: () => Promise.resolve<ShellReadiness>({ mode: 'snapIn', missingCmdlets: this.missingCmdlets[index] ?? [] }),
            close: () => {
                this.closed.push(index);
                return Promise.resolve();
            },
        };
    };

    /** The operations waiting to be finished, by name. */
    waiting(operation?: string): Pending[] {
        return this.pending.filter((p) => operation === undefined || p.operation === operation);
    }

    private start(session: number, operation: string, argument: unknown): Promise<never> {
        if (this.busy.has(session)) this.sessionOverlaps++;
        this.busy.add(session);
        this.running++;
        this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
        return new Promise((resolve, reject) => {
            const done = (): void => {
                this.running--;
                this.busy.delete(session);
                this.pending.splice(this.pending.indexOf(entry), 1);
            };
            const entry: Pending = {
                session,
                operation,
                argument,
                finish: (result) => {
                    done();
                    resolve(result as never);
                },
                fail: (error) => {
                    done();
                    reject(error);
                },
            };
            this.pending.push(entry);
        });
    }
}

/** Lets every promise callback that can run, run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function imported(request: InstallCertificateRequest, failedOn: readonly string[] = []): InstallCertificateResult {
    return {
        thumbprint: request.thumbprint,
        servers: (request.servers ?? []).map((server) => (failedOn.includes(server) ? { server, outcome: 'failed', error: `Access is denied on ${server}.` } : { server, outcome: 'imported', error: null })),
    };
}

const install = (servers: readonly string[] | undefined): InstallCertificateRequest => ({ thumbprint: THUMBPRINT, source: { kind: 'server', server: 'EX1' }, servers, privateKeyExportable: true });

describe('the agent\'s pool of Exchange sessions', () => {
    it('opens sessions only when work needs them and never runs more operations at once than it has sessions', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 3, openSession: bench.open });
        expect(bench.opened).toEqual([]);

        // Act
        const first = pool.inventory();
        await settle();
        const openedForOne = [...bench.opened];
        const more = [pool.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: 'https://x' }), pool.enablePushProxy({ organization: 'contoso.com', uri: 'https://y' }), pool.invokeProbe({}), pool.inventory(), pool.inventory()];
        await settle();
        const atOnce = bench.running;
        while (bench.pending.length > 0) {
            bench.pending[0]!.finish(INVENTORY);
            await settle();
        }
        await Promise.all([first, ...more]);

        // Assess
        expect(openedForOne).toEqual([0]);
        expect(bench.opened).toEqual([0, 1, 2]);
        expect(atOnce).toBe(3);
        expect(bench.mostAtOnce).toBe(3);
        expect(bench.sessionOverlaps).toBe(0);
    });

    it('runs independent calls side by side: the AuthServer does not wait for the push proxy', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 2, openSession: bench.open });

        // Act
        const authServer = pool.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: 'https://x' });
        const pushProxy = pool.enablePushProxy({ organization: 'contoso.com', uri: 'https://y' });
        await settle();

        // Assess
        expect(bench.waiting().map((p) => [p.operation, p.session])).toEqual([
            ['ensureAuthServer', 0],
            ['enablePushProxy', 1],
        ]);
        bench.waiting('enablePushProxy')[0]!.finish({ changed: true });
        bench.waiting('ensureAuthServer')[0]!.finish({ action: 'created' });
        await expect(Promise.all([authServer, pushProxy])).resolves.toEqual([{ action: 'created' }, { changed: true }]);
    });

    it.each([
        { sessions: 3, servers: ['EX1', 'EX2', 'EX3', 'EX4', 'EX5'], expected: [['EX1', 'EX2'], ['EX3', 'EX4'], ['EX5']] },
        { sessions: 4, servers: ['EX1', 'EX2'], expected: [['EX1'], ['EX2']] },
        { sessions: 1, servers: ['EX1', 'EX2', 'EX3'], expected: [['EX1', 'EX2', 'EX3']] },
        { sessions: 4, servers: undefined, expected: [undefined] },
    ])('imports on $servers with $sessions sessions as the shares $expected, each on its own session at once', async ({ sessions, servers, expected }) => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions, openSession: bench.open });

        // Act
        const result = pool.installCertificate(install(servers));
        await settle();
        const started = bench.waiting('installCertificate').map((p) => ({ session: p.session, servers: (p.argument as InstallCertificateRequest).servers }));
        for (const share of bench.waiting('installCertificate')) share.finish(imported(share.argument as InstallCertificateRequest));

        // Assess
        expect(started.map((s) => s.servers)).toEqual(expected);
        expect(new Set(started.map((s) => s.session)).size).toBe(started.length);
        expect((await result).servers.map((s) => s.server)).toEqual(servers ?? []);
    });

    it('merges the shares per server in the order asked, a server that failed named with its own error', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 2, openSession: bench.open });

        // Act
        const result = pool.installCertificate(install(['EX1', 'EX2', 'EX3', 'EX4']));
        await settle();
        const [second, first] = [...bench.waiting('installCertificate')].reverse();
        second!.finish(imported(second!.argument as InstallCertificateRequest, ['EX4']));
        first!.finish(imported(first!.argument as InstallCertificateRequest));

        // Assess
        expect(await result).toEqual({
            thumbprint: THUMBPRINT,
            servers: [
                { server: 'EX1', outcome: 'imported', error: null },
                { server: 'EX2', outcome: 'imported', error: null },
                { server: 'EX3', outcome: 'imported', error: null },
                { server: 'EX4', outcome: 'failed', error: 'Access is denied on EX4.' },
            ],
        });
    });

    it('answers a share that failed as a whole only once every share has ended, the failure retrying cannot mend first', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 3, openSession: bench.open });
        let answered = false;

        // Act
        const result = pool.installCertificate(install(['EX1', 'EX2', 'EX3'])).finally(() => {
            answered = true;
        });
        result.catch(() => undefined);
        await settle();
        const [one, two, three] = bench.waiting('installCertificate');
        one!.fail(new TransientError('exchange_unreachable', 'Install-PushProxyCertificate: the Exchange session dropped'));
        two!.fail(new PermanentError('exchange_failed', "Install-PushProxyCertificate: The operation couldn't be performed because object 'EX2' couldn't be found."));
        await settle();
        const answeredBeforeLast = answered;
        three!.finish(imported(three!.argument as InstallCertificateRequest));

        // Assess
        expect(answeredBeforeLast).toBe(false);
        const error = await result.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PushProxyError);
        expect(error).toMatchObject({ code: 'exchange_failed', transient: false });
    });

    it('does not let a session whose operation failed hold up the others, and gives it the next operation', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 2, openSession: bench.open });
        const failing = pool.setAuthConfig({ action: 'clearPrevious' });
        const slow = pool.invokeProbe({});
        const queued = [pool.inventory(), pool.inventory()];
        await settle();

        // Act
        bench.waiting('setAuthConfig')[0]!.fail(new TransientError('shell_timeout', 'Set-PushProxyAuthConfig did not answer within 300 s'));
        await settle();
        const afterFailure = bench.waiting('inventory').map((p) => p.session);
        bench.waiting('inventory')[0]!.finish(INVENTORY);
        await settle();
        bench.waiting('inventory')[0]!.finish(INVENTORY);

        // Assess
        await expect(failing).rejects.toMatchObject({ code: 'shell_timeout' });
        await expect(Promise.all(queued)).resolves.toHaveLength(2);
        expect(afterFailure).toEqual([0]);
        expect(bench.waiting().map((p) => p.operation)).toEqual(['invokeProbe']);
        bench.waiting('invokeProbe')[0]!.finish({ server: 'EX1', resultType: 'Succeeded' });
        await slow;
    });

    it('closes: waits for the operations running, closes each session it opened once, then takes no more work', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 4, openSession: bench.open });
        const running = [pool.inventory(), pool.invokeProbe({})];
        await settle();

        // Act
        let closed = false;
        const closing = pool.close().then(() => {
            closed = true;
        });
        await settle();
        const closedWhileRunning = closed;
        for (const p of [...bench.waiting()]) p.finish(INVENTORY);
        await closing;
        await Promise.all(running);

        // Assess
        expect(closedWhileRunning).toBe(false);
        expect(bench.closed.sort()).toEqual([0, 1]);
        await expect(pool.inventory()).rejects.toMatchObject({ code: 'shell_unavailable', transient: true });
        await pool.close();
        expect(bench.closed).toHaveLength(2);
    });

    it('checks every session it may open, so that a throttling policy allowing fewer shows in agent check', async () => {
        // Prepare
        const bench = new SessionBench();
        bench.missingCmdlets = { 2: ['Set-AuthConfig'] };
        const pool = new ExchangeShellPool({ sessions: 3, openSession: bench.open });

        // Act
        const readiness = await pool.checkReady();

        // Assess
        expect(bench.opened).toEqual([0, 1, 2]);
        expect(readiness).toEqual({ mode: 'snapIn', missingCmdlets: ['Set-AuthConfig'] });
        const later = pool.inventory();
        await settle();
        expect(bench.opened).toEqual([0, 1, 2]);
        bench.waiting('inventory')[0]!.finish(INVENTORY);
        await later;
    });

    it('reports its sessions in the inventory, which the orchestrator sizes import calls by', async () => {
        // Prepare
        const bench = new SessionBench();
        const pool = new ExchangeShellPool({ sessions: 3, openSession: bench.open });

        // Act
        const result = executeOperation('inventory', {}, { shell: pool, sharedSecret: 'x'.repeat(64) });
        await settle();
        bench.waiting('inventory')[0]!.finish(INVENTORY);

        // Assess
        expect((await result).exchangeSessions).toBe(3);
    });

    it.each([0, EXCHANGE_SESSIONS.max + 1, 1.5])('refuses %s sessions', (sessions) => {
        expect(() => new ExchangeShellPool({ sessions, openSession: new SessionBench().open })).toThrow(RangeError);
    });

    it('cuts servers into shares whose sizes differ by one at most, in order', () => {
        expect(shares(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3)).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]);
        expect(shares(['a'], 4)).toEqual([['a']]);
    });
});

describe('the agent configuration\'s sessions', () => {
    const base = { relay: { namespace: 'contoso.servicebus.windows.net', hybridConnection: 'contoso', listenKey: 'k'.repeat(44) }, sharedSecret: 's'.repeat(64), dataFolder: 'C:\\ProgramData\\PushProxyAgent' };

    it('defaults to four sessions, in either shell mode, and the agent builds a pool of that many', () => {
        // Act
        const snapIn = parseAgentConfig(base, 'agent.json');
        const remote = parseAgentConfig({ ...base, shell: { mode: 'remote', connectionUri: 'http://ex1.corp.contoso.com/PowerShell/' } }, 'agent.json');
        const shell = createPowerShellShell(snapIn.shell, new Logger({}, silentSink));

        // Assess
        expect(snapIn.shell.sessions).toBe(EXCHANGE_SESSIONS.default);
        expect(remote.shell.sessions).toBe(4);
        expect(shell).toBeInstanceOf(ExchangeShellPool);
        expect(shell.sessions).toBe(4);
    });

    it.each([0, 9, 2.5, '4'])('refuses shell.sessions %s, naming the setting', (sessions) => {
        expect(() => parseAgentConfig({ ...base, shell: { mode: 'snapIn', sessions } }, 'agent.json')).toThrow(/shell\.sessions/);
    });
});
