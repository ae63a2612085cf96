import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface Exit {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}

/** A node child process whose stdout and stderr are kept as lines. */
export class NodeProcess {
    readonly stdout: string[] = [];
    readonly stderr: string[] = [];
    readonly exited: Promise<Exit>;
    private readonly child: ChildProcess;
    private readonly lineWaiters = new Set<() => void>();
    private closed = false;

    constructor(args: readonly string[], cwd: string = REPO_ROOT) {
        this.child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        this.collect(this.child.stdout, this.stdout);
        this.collect(this.child.stderr, this.stderr);
        // 'close' comes after the output streams ended, so every line has been collected by then.
        this.exited = once(this.child, 'close').then(([code, signal]) => {
            this.closed = true;
            this.notify();
            return { code: code as number | null, signal: signal as NodeJS.Signals | null };
        });
    }

    get output(): string {
        return [...this.stdout, ...this.stderr].join('\n');
    }

    /** The first stdout line that matches; rejects if the process ends without printing one. */
    waitForLine(matches: (line: string) => boolean): Promise<string> {
        return new Promise<string>((resolveLine, reject) => {
            const look = (): void => {
                const line = this.stdout.find(matches);
                if (line !== undefined) {
                    this.lineWaiters.delete(look);
                    resolveLine(line);
                } else if (this.closed) {
                    this.lineWaiters.delete(look);
                    reject(new Error(`the process ended without the expected line:\n${this.output}`));
                }
            };
            this.lineWaiters.add(look);
            look();
        });
    }

    signal(signal: NodeJS.Signals): void {
        this.child.kill(signal);
    }

    async kill(): Promise<void> {
        if (this.closed) return;
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
        await this.exited;
    }

    private collect(stream: NodeJS.ReadableStream | null, lines: string[]): void {
        if (stream === null) return;
        createInterface({ input: stream }).on('line', (line) => {
            lines.push(line);
            this.notify();
        });
    }

    private notify(): void {
        for (const look of [...this.lineWaiters]) look();
    }
}

/** Starts node processes for a test file and kills whatever is still running after each test. */
export class ProcessPool {
    private readonly started: NodeProcess[] = [];

    start(args: readonly string[], cwd?: string): NodeProcess {
        const child = new NodeProcess(args, cwd);
        this.started.push(child);
        return child;
    }

    async killAll(): Promise<void> {
        await Promise.all(this.started.splice(0).map((child) => child.kill()));
    }
}

/** Runs a node script to its end. */
export async function runToEnd(pool: ProcessPool, args: readonly string[]): Promise<Exit & { readonly output: string }> {
    const child = pool.start(args);
    const exit = await child.exited;
    return { ...exit, output: child.output };
}
