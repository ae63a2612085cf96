/** Where a CLI writes: injected so the tests can run a CLI in-process and read what it printed. */
export interface CliStream {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
}

export interface CliIo {
    readonly stdout: CliStream;
    readonly stderr: CliStream;
    /** Directory relative paths on the command line are resolved against. */
    readonly cwd: string;
}

/** The process's own streams; relative paths are the user's, not npm's (npm runs scripts from the package root). */
export function processIo(): CliIo {
    return { stdout: process.stdout, stderr: process.stderr, cwd: process.env.INIT_CWD ?? process.cwd() };
}

/** Exit codes of the local CLIs. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
