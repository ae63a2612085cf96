import { PushProxyError, TransientError } from '../../lib/errors';
import {
    type EnablePushProxyParams,
    type EnablePushProxyResult,
    type EnsureAuthServerParams,
    type EnsureAuthServerResult,
    EXCHANGE_SESSIONS,
    exchangeSessionsSchema,
    type InstallCertificateResult,
    type InvokeProbeParams,
    type InvokeProbeResult,
    type RestartAuthServicesParams,
    type RestartAuthServicesResult,
    type RestartHealthManagerParams,
    type RestartHealthManagerResult,
    type SetAuthConfigParams,
    type SetAuthConfigResult,
    type ShellInventory,
} from '../../lib/protocol';
import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../exchange-shell';

export interface ExchangeShellPoolOptions {
    /** At most this many sessions, 1 to EXCHANGE_SESSIONS.max (agent `shell.sessions`). */
    readonly sessions: number;
    /** Opens session `index` (0-based) the first time the pool needs it: one PowerShell host each. */
    readonly openSession: (index: number) => ExchangeShell;
}

/** `items` cut into `parts` consecutive shares whose sizes differ by one at most, in order. */
export function shares<T>(items: readonly T[], parts: number): T[][] {
    const count = Math.max(1, Math.min(parts, items.length));
    const result: T[][] = [];
    let start = 0;
    for (let part = 0; part < count; part++) {
        const size = Math.floor(items.length / count) + (part < items.length % count ? 1 : 0);
        result.push(items.slice(start, start + size));
        start += size;
    }
    return result;
}

/**
 * Exchange behind a bounded pool of sessions. One session (one PowerShell host, one runspace) runs one
 * pipeline at a time, so a single session made every operation wait for the one before it: the
 * AuthServer behind the push proxy, an import on one server behind the import on the next. The pool
 * gives each operation a free session, opening one (lazily) while fewer than `sessions` are open, else
 * queues it first come, first served. An import over several servers is split into one share per
 * session, each share imported by its own script; the per-server outcomes come back merged, in the
 * order of the servers asked for. A session whose operation fails is free again at once: the others
 * never wait for it.
 */
export class ExchangeShellPool implements ExchangeShell {
    private readonly opened: ExchangeShell[] = [];
    private readonly idle: ExchangeShell[] = [];
    private readonly waiting: ((session: ExchangeShell) => void)[] = [];
    private readonly running = new Set<Promise<unknown>>();
    private closing: Promise<void> | undefined;

    constructor(private readonly options: ExchangeShellPoolOptions) {
        if (!exchangeSessionsSchema.safeParse(options.sessions).success) {
            throw new RangeError(`sessions must be an integer from 1 to ${EXCHANGE_SESSIONS.max}, not ${options.sessions}`);
        }
    }

    /** How many operations this shell runs side by side: what the inventory reports to the orchestrator. */
    get sessions(): number {
        return this.options.sessions;
    }

    /** How many sessions have been opened so far. */
    get openSessions(): number {
        return this.opened.length;
    }

    inventory(): Promise<ShellInventory> {
        return this.onSession((shell) => shell.inventory());
    }

    async installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        const servers = request.servers;
        // Every server (no list) is the script's own lookup: one session runs it whole.
        if (servers === undefined || servers.length < 2 || this.options.sessions === 1) return this.onSession((shell) => shell.installCertificate(request));
        const settled = await Promise.allSettled(shares(servers, this.options.sessions).map((share) => this.onSession((shell) => shell.installCertificate({ ...request, servers: share }))));
        const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        // Only once every share has ended, so nothing still imports after the reply. A failure that is not
        // transient first: retrying cannot mend it. The retry of a transient one finds the imported servers present.
        if (failures.length > 0) throw failures.find((failure) => !(failure instanceof PushProxyError && failure.transient)) ?? failures[0];
        const results = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
        return { thumbprint: results[0]?.thumbprint ?? request.thumbprint, servers: results.flatMap((result) => result.servers) };
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        return this.onSession((shell) => shell.setAuthConfig(params));
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.onSession((shell) => shell.ensureAuthServer(params));
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.onSession((shell) => shell.enablePushProxy(params));
    }

    /** Restarts fan out inside their script already (Invoke-Command -ThrottleLimit): one session runs them. */
    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.onSession((shell) => shell.restartHealthManager(params));
    }

    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        return this.onSession((shell) => shell.restartAuthServices(params));
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.onSession((shell) => shell.invokeProbe(params));
    }

    /**
     * Opens every session and asks each (agent check): a throttling policy that allows fewer sessions
     * than configured shows here, not in the middle of an onboarding. Missing cmdlets of any session count.
     */
    async checkReady(): Promise<ShellReadiness> {
        if (this.closing !== undefined) throw closedError();
        while (this.opened.length < this.options.sessions) this.idle.push(this.open());
        const readiness = await Promise.all(this.opened.map((session) => this.track(session.checkReady())));
        return { mode: readiness[0]?.mode ?? 'unknown', missingCmdlets: [...new Set(readiness.flatMap((r) => r.missingCmdlets))].sort() };
    }

    /** Waits for the operations running and queued, then closes every session; the pool takes no more work. */
    close(): Promise<void> {
        this.closing ??= (async () => {
            while (this.running.size > 0) await Promise.allSettled([...this.running]);
            await Promise.all(this.opened.map((session) => session.close()));
            this.opened.length = 0;
            this.idle.length = 0;
        })();
        return this.closing;
    }

    private onSession<T>(work: (session: ExchangeShell) => Promise<T>): Promise<T> {
        if (this.closing !== undefined) return Promise.reject(closedError());
        return this.track(
            (async () => {
                const session = await this.acquire();
                try {
                    return await work(session);
                } finally {
                    this.release(session);
                }
            })(),
        );
    }

    private track<T>(operation: Promise<T>): Promise<T> {
        this.running.add(operation);
        const forget = (): void => {
            this.running.delete(operation);
        };
        operation.then(forget, forget);
        return operation;
    }

    private acquire(): Promise<ExchangeShell> {
        const free = this.idle.pop();
        if (free !== undefined) return Promise.resolve(free);
        if (this.opened.length < this.options.sessions) return Promise.resolve(this.open());
        return new Promise((resolve) => this.waiting.push(resolve));
    }

    private release(session: ExchangeShell): void {
        const next = this.waiting.shift();
        if (next !== undefined) next(session);
        else this.idle.push(session);
    }

    private open(): ExchangeShell {
        const session = this.options.openSession(this.opened.length);
        this.opened.push(session);
        return session;
    }
}

function closedError(): TransientError {
    return new TransientError('shell_unavailable', 'The Exchange sessions are closed: the agent is stopping.');
}
