import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LogRecord } from '../../../lib/logger';
import type { LocalStack } from '../../../local/stack/local-stack';

/** What a refused request must leave untouched: orchestrations, Exchange, the agent, the error log. */
export interface SideEffects {
    /** instanceId -> executionId: a new instance and a restarted one (same id, new execution) both show. */
    readonly executions: Readonly<Record<string, string>>;
    readonly exchangeCommands: number;
    readonly agentAuditLines: number;
    /** Error records of the host and the functions (a failed invocation, a host error). */
    readonly errorLogs: readonly string[];
}

async function auditLines(stack: LocalStack): Promise<number> {
    try {
        const text = await readFile(join(stack.agentDataFolder, 'audit.jsonl'), 'utf8');
        return text.split('\n').filter((line) => line.trim() !== '').length;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
    }
}

export async function sideEffects(stack: LocalStack, logs: readonly LogRecord[]): Promise<SideEffects> {
    const executions: Record<string, string> = {};
    for (const record of stack.host.store.instances()) executions[record.instanceId] = record.executionId;
    return {
        executions,
        exchangeCommands: stack.exchange.commandLog().length,
        agentAuditLines: await auditLines(stack),
        errorLogs: logs.filter((record) => record.level === 'error').map((record) => record.message.slice(0, 300)),
    };
}

/**
 * Runs `act` (one request) and asserts it changed nothing. The snapshot is taken per request, after
 * the host has settled, so that a failure points at the request that caused it (and shrinking
 * does not blame every later request for an earlier one's run).
 */
export async function expectNoSideEffects<T>(stack: LocalStack, logs: readonly LogRecord[], act: () => Promise<T>): Promise<T> {
    await stack.host.whenIdle();
    const before = await sideEffects(stack, logs);
    const result = await act();
    expect(await sideEffects(stack, logs)).toEqual(before);
    return result;
}
