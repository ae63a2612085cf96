import type { LocalStack } from '../../../local/stack/local-stack';
import { runPpo } from '../../../cli/ppo';
import { memoryIo, type MemoryIo } from '../../cli/support/memory-io';

export interface PpoResult {
    readonly exitCode: number;
    readonly io: MemoryIo;
    /** stdout parsed as JSON (for --json runs). */
    json<T>(): T;
}

/** Runs ppo in-process against a running world, signed in as the world's automation principal (--sign-in client-secret, the environment an administrator would set). */
export async function ppo(stack: LocalStack, argv: readonly string[], env: Record<string, string> = {}): Promise<PpoResult> {
    const io = memoryIo();
    const exitCode = await runPpo(argv, { ...stack.ppoEnvironment, ...env }, io, { pollIntervalMs: 10 });
    return {
        exitCode,
        io,
        json: <T>() => {
            if (io.stdout.text === '') throw new Error(`ppo ${argv.join(' ')} printed nothing on stdout (exit ${exitCode}):\n${io.stderr.text}`);
            return JSON.parse(io.stdout.text) as T;
        },
    };
}
