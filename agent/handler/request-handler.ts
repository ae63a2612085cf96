import { performance } from 'node:perf_hooks';
import { Logger, silentSink } from '../../lib/logger';
import {
    type AgentErrorCode,
    agentErrorSpec,
    failureReply,
    MAX_REQUEST_BODY_BYTES,
    NONCE_RETENTION_MS,
    NonceCache,
    OPERATION_SCHEMAS,
    type OperationName,
    requestBodySchema,
    type SharedSecret,
    successReply,
    verifyRequestSignature,
} from '../../lib/protocol';
import type { AuditEntry, AuditSink } from '../audit/audit-log';
import type { ExchangeShell } from '../exchange-shell';
import { executeOperation } from '../operations/execute-operation';
import type { RelayedRequest, RelayedRequestHandler, RelayedResponse } from '../relay/types';
import { IdempotentRunner, type OperationReply } from '../store/idempotent-runner';
import type { OperationStore } from '../store/operation-store';
import { operationErrorReply } from './operation-error-reply';
import { paramsFingerprint } from './params-fingerprint';
import { operationAtPath } from './route';
import { signedReply } from './signed-reply';

export interface AgentRequestHandlerOptions {
    readonly sharedSecret: SharedSecret;
    readonly shell: ExchangeShell;
    readonly store: OperationStore;
    readonly audit: AuditSink;
    /** Wall clock in ms (timestamps, skew, expiry). Default Date.now. */
    readonly now?: () => number;
    readonly logger?: Logger;
    /** Answer `in_progress` after this long and let the operation finish in the background (the relay allows 60 s). */
    readonly replyWithinMs?: number;
    readonly maxBodyBytes?: number;
}

export type AgentRequestHandler = RelayedRequestHandler & {
    /** Resolves when no operation is running any more. */
    whenIdle(): Promise<void>;
};

export const DEFAULT_REPLY_WITHIN_MS = 45_000;

interface Rejection {
    readonly code: AgentErrorCode;
    readonly message: string;
    readonly nonce?: string;
    readonly operation?: OperationName;
    readonly operationId?: string;
}

/**
 * The agent's answer to every relayed request: size limit, signature, allowlist, schema, then the
 * operation at most once per operation id. Every request leaves one audit line; a rejected one runs
 * no Exchange command.
 */
export function createAgentRequestHandler(options: AgentRequestHandlerOptions): AgentRequestHandler {
    const now = options.now ?? Date.now;
    const logger = options.logger ?? new Logger({ component: 'agent' }, silentSink);
    const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
    const replyWithinMs = options.replyWithinMs ?? DEFAULT_REPLY_WITHIN_MS;
    const nonces = new NonceCache(NONCE_RETENTION_MS);
    const runner = new IdempotentRunner(options.store, now, (error) => logger.error('could not store an operation result', { error }));

    async function audit(entry: Omit<AuditEntry, 'time'>): Promise<void> {
        try {
            await options.audit.append({ time: new Date(now()).toISOString(), ...entry });
        } catch (error) {
            logger.error('could not write the audit log', { error });
        }
    }

    async function reject(rejection: Rejection, started: number): Promise<RelayedResponse> {
        const status = agentErrorSpec(rejection.code).status;
        await audit({
            operationId: rejection.operationId ?? null,
            operation: rejection.operation ?? null,
            verdict: 'rejected',
            outcome: 'not_run',
            code: rejection.code,
            status,
            durationMs: Math.round(performance.now() - started),
        });
        logger.warn('request rejected', { code: rejection.code, operation: rejection.operation, operationId: rejection.operationId });
        return signedReply(status, failureReply(rejection.code, rejection.message), rejection.nonce, options.sharedSecret);
    }

    function execute(operation: OperationName, params: unknown): () => Promise<OperationReply> {
        return async () => {
            try {
                const result = await executeOperation(operation, params as never, { shell: options.shell, sharedSecret: options.sharedSecret });
                return { status: 200, envelope: successReply(result), storable: true };
            } catch (error) {
                logger.error('operation failed', { operation, error });
                return operationErrorReply(error);
            }
        };
    }

    async function handle(request: RelayedRequest): Promise<RelayedResponse> {
        const started = performance.now();

        if (request.body.length > maxBodyBytes) {
            // Unsigned: the agent signs replies only to requests whose signature verified (issue 15, finding 6).
            return reject({ code: 'body_too_large', message: `The request body has ${request.body.length} bytes; the limit is ${maxBodyBytes}.`, nonce: undefined }, started);
        }
        const verdict = verifyRequestSignature(request, options.sharedSecret, { nowMs: now(), nonces });
        if (!verdict.ok) return reject({ code: verdict.code, message: verdict.message, nonce: undefined }, started);
        const nonce = verdict.nonce;

        if (request.method.toUpperCase() !== 'POST') return reject({ code: 'method_not_allowed', message: 'Operations are called with POST.', nonce }, started);
        const operation = operationAtPath(request.path);
        if (operation === undefined) return reject({ code: 'unknown_operation', message: 'No allowlisted operation at this path.', nonce }, started);

        let json: unknown;
        try {
            json = JSON.parse(request.body.toString('utf8'));
        } catch {
            return reject({ code: 'malformed_request', message: 'The request body is not JSON.', nonce, operation }, started);
        }
        const body = requestBodySchema.safeParse(json);
        if (!body.success) {
            return reject({ code: 'malformed_request', message: `The request body must be {operationId, params}: ${describeIssues(body.error.issues)}`, nonce, operation }, started);
        }
        const { operationId } = body.data;
        const params = OPERATION_SCHEMAS[operation].params.safeParse(body.data.params ?? {});
        if (!params.success) {
            return reject({ code: 'invalid_params', message: `Invalid ${operation} parameters: ${describeIssues(params.error.issues)}`, nonce, operation, operationId }, started);
        }

        const outcome = await runner.run({
            operationId,
            operation,
            paramsHash: paramsFingerprint(operation, params.data),
            execute: execute(operation, params.data),
            replyWithinMs,
            onBackgroundCompletion: (reply) =>
                audit({
                    operationId,
                    operation,
                    verdict: 'accepted',
                    outcome: reply.envelope.ok ? 'succeeded' : 'failed',
                    code: reply.envelope.ok ? null : reply.envelope.error.code,
                    status: reply.status,
                    durationMs: Math.round(performance.now() - started),
                    background: true,
                }),
        });
        const durationMs = () => Math.round(performance.now() - started);
        switch (outcome.kind) {
            case 'conflict':
                return reject({ code: 'operation_id_conflict', message: `Operation id ${operationId} was already used with other parameters.`, nonce, operation, operationId }, started);
            case 'in_progress': {
                const status = agentErrorSpec('in_progress').status;
                await audit({ operationId, operation, verdict: 'accepted', outcome: 'in_progress', code: 'in_progress', status, durationMs: durationMs() });
                return signedReply(status, failureReply('in_progress', `Operation ${operationId} is still running; ask again with the same operation id.`), nonce, options.sharedSecret);
            }
            case 'stored':
            case 'ran': {
                const { reply } = outcome;
                await audit({
                    operationId,
                    operation,
                    verdict: 'accepted',
                    outcome: outcome.kind === 'stored' ? 'stored_result' : reply.envelope.ok ? 'succeeded' : 'failed',
                    code: reply.envelope.ok ? null : reply.envelope.error.code,
                    status: reply.status,
                    durationMs: durationMs(),
                });
                return signedReply(reply.status, reply.envelope, nonce, options.sharedSecret);
            }
        }
    }

    async function handleSafely(request: RelayedRequest): Promise<RelayedResponse> {
        try {
            return await handle(request);
        } catch (error) {
            logger.error('request handling failed', { error });
            return signedReply(agentErrorSpec('internal').status, failureReply('internal', 'The agent failed unexpectedly; see its log.'), undefined, options.sharedSecret);
        }
    }

    return Object.assign(handleSafely, { whenIdle: () => runner.whenIdle() });
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
    return issues
        .slice(0, 10)
        .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
}
