import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TransientError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { type HostReady, type HostReply, type HostRunRequest, parseHostLine } from './host-protocol';

export interface HostProcessOptions {
    readonly command: string;
    readonly args: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    readonly startTimeoutMs: number;
    readonly logger: Logger;
}

interface PendingReply {
    readonly id: number;
    readonly resolve: (reply: HostReply) => void;
    readonly reject: (error: Error) => void;
}

/** One running PowerShell host: started, waited for until ready, asked one script at a time, killed. */
export class HostProcess {
    private pending: PendingReply | undefined;
    private exited = false;
    private killed = false;
    private noiseLines = 0;

    private constructor(
        private readonly child: ChildProcessWithoutNullStreams,
        private readonly logger: Logger,
        readonly ready: HostReady,
    ) {}

    get alive(): boolean {
        return !this.exited && !this.killed;
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    /** Spawns the host and resolves once it reports ready; rejects when it fails, exits or takes too long. */
    static start(options: HostProcessOptions): Promise<HostProcess> {
        return new Promise<HostProcess>((resolve, reject) => {
            const child = spawn(options.command, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: options.env ?? process.env });
            let host: HostProcess | undefined;
            const fail = (error: Error): void => {
                clearTimeout(timer);
                if (host === undefined) {
                    child.kill('SIGKILL');
                    reject(error);
                }
            };
            const timer = setTimeout(() => fail(new TransientError('shell_unavailable', `The PowerShell host did not become ready within ${options.startTimeoutMs} ms.`)), options.startTimeoutMs);
            child.on('error', (error) => fail(new TransientError('shell_unavailable', `The PowerShell host could not be started: ${error.message}`, { cause: error })));
            // stderr is drained, never logged: PowerShell error records can echo parameter values.
            child.stderr.resume();
            child.stdin.on('error', () => undefined);
            child.on('exit', (code, signal) => {
                if (host === undefined) {
                    fail(new TransientError('shell_unavailable', `The PowerShell host exited during start-up (code ${code ?? 'none'}, signal ${signal ?? 'none'}).`));
                } else {
                    host.onExit(code, signal);
                }
            });
            const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
            lines.on('line', (line) => {
                const message = parseHostLine(line);
                if (host !== undefined) {
                    host.onLine(message);
                    return;
                }
                if (message?.type === 'ready') {
                    clearTimeout(timer);
                    host = new HostProcess(child, options.logger, message);
                    resolve(host);
                } else if (message?.type === 'fatal') {
                    fail(new TransientError('shell_unavailable', `The PowerShell host could not load Exchange: ${message.message}`));
                }
            });
        });
    }

    /** Sends one script run and waits for its reply. A timeout kills the host (it may hang in a cmdlet). */
    run(request: HostRunRequest, timeoutMs: number): Promise<HostReply> {
        if (!this.alive) return Promise.reject(new TransientError('shell_unavailable', 'The PowerShell host is not running.'));
        if (this.pending !== undefined) return Promise.reject(new Error('HostProcess runs one script at a time'));
        return new Promise<HostReply>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending = undefined;
                this.kill();
                reject(new TransientError('shell_timeout', `Script ${request.script} did not finish within ${timeoutMs} ms; the PowerShell host was restarted.`));
            }, timeoutMs);
            this.pending = {
                id: request.id,
                resolve: (reply) => {
                    clearTimeout(timer);
                    resolve(reply);
                },
                reject: (error) => {
                    clearTimeout(timer);
                    reject(error);
                },
            };
            this.child.stdin.write(`${JSON.stringify(request)}\n`);
        });
    }

    kill(): void {
        if (this.exited || this.killed) return;
        this.killed = true;
        this.child.kill('SIGKILL');
    }

    /** Asks the host to exit, and kills it if it has not after `graceMs`. */
    async close(graceMs: number): Promise<void> {
        if (this.exited) return;
        if (this.killed) {
            await new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
            return;
        }
        const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
        this.child.stdin.end(`${JSON.stringify({ type: 'exit' })}\n`);
        const timer = setTimeout(() => this.kill(), graceMs);
        await exited;
        clearTimeout(timer);
    }

    private onLine(message: ReturnType<typeof parseHostLine>): void {
        if (message?.type !== 'reply') {
            if (message === undefined) this.noiseLines += 1;
            return;
        }
        const pending = this.pending;
        if (pending === undefined || pending.id !== message.id) {
            this.logger.warn('the PowerShell host answered a request that is not waiting', { id: message.id });
            return;
        }
        this.pending = undefined;
        pending.resolve(message);
    }

    private onExit(code: number | null, signal: NodeJS.Signals | null): void {
        this.exited = true;
        this.logger.warn('the PowerShell host exited', { code, signal, noiseLines: this.noiseLines });
        const pending = this.pending;
        this.pending = undefined;
        pending?.reject(new TransientError('shell_unavailable', `The PowerShell host exited while running a script (code ${code ?? 'none'}, signal ${signal ?? 'none'}); it will be restarted.`));
    }
}
