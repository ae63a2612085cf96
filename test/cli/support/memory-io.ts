import type { CliIo, CliStream } from '../../../cli/cli-io';

/** A stream that keeps what was written, optionally posing as a terminal. */
export class MemoryStream implements CliStream {
    readonly chunks: string[] = [];

    constructor(
        readonly isTTY = false,
        readonly columns?: number,
    ) {}

    write(text: string): boolean {
        this.chunks.push(text);
        return true;
    }

    get text(): string {
        return this.chunks.join('');
    }
}

export interface MemoryIo extends CliIo {
    readonly stdout: MemoryStream;
    readonly stderr: MemoryStream;
}

export function memoryIo(cwd = process.cwd()): MemoryIo {
    return { stdout: new MemoryStream(), stderr: new MemoryStream(), cwd };
}
