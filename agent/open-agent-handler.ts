import { join } from 'node:path';
import type { Logger } from '../lib/logger';
import type { SharedSecret } from '../lib/protocol';
import { JsonLinesAuditLog } from './audit/audit-log';
import type { ExchangeShell } from './exchange-shell';
import { type AgentRequestHandler, createAgentRequestHandler } from './handler/request-handler';
import { OperationStore } from './store/operation-store';

export const AUDIT_LOG_FILE = 'audit.jsonl';

export interface OpenAgentHandlerOptions {
    readonly dataFolder: string;
    readonly sharedSecret: SharedSecret;
    readonly shell: ExchangeShell;
    readonly now?: () => number;
    readonly logger?: Logger;
    readonly replyWithinMs?: number;
}

/** The request handler with its operation store and audit log in the data folder. */
export async function openAgentRequestHandler(options: OpenAgentHandlerOptions): Promise<AgentRequestHandler> {
    const now = options.now ?? Date.now;
    const store = await OperationStore.open(options.dataFolder, { now });
    return createAgentRequestHandler({
        sharedSecret: options.sharedSecret,
        shell: options.shell,
        store,
        audit: new JsonLinesAuditLog(join(options.dataFolder, AUDIT_LOG_FILE)),
        now,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        ...(options.replyWithinMs === undefined ? {} : { replyWithinMs: options.replyWithinMs }),
    });
}
