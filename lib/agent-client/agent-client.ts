import { PermanentError, TransientError, ValidationError } from '../errors';
import { Logger, silentSink } from '../logger';
import {
    type AgentErrorBody,
    isAgentErrorCode,
    agentErrorSpec,
    OPERATION_SCHEMAS,
    type OperationName,
    type OperationParamsInput,
    type OperationResult,
    operationIdSchema,
    operationPath,
    type PrivateKeyMaterial,
    replyEnvelopeSchema,
    type SealedPrivateKey,
    sealPrivateKey,
    type SharedSecret,
    SIGNATURE_HEADERS,
    signRequest,
    verifyReplySignature,
} from '../protocol';
import type { AgentTransport } from '../relay/transport';

export interface AgentClientOptions {
    readonly transport: AgentTransport;
    /** The shared secret of the agent behind a hybrid connection (from Key Vault; never logged). */
    readonly sharedSecretFor: (hybridConnection: string) => SharedSecret | Promise<SharedSecret>;
    /** Wall clock in ms for the signature timestamp. Default Date.now. */
    readonly now?: () => number;
    /** Per request; the relay gives the listener 60 s. */
    readonly timeoutMs?: number;
    readonly logger?: Logger;
}

export interface AgentCallOptions {
    /** Deterministic per orchestration run and step: see operationIdFor in lib/protocol. */
    readonly operationId: string;
    readonly hybridConnection: string;
    readonly timeoutMs?: number;
}

export const DEFAULT_AGENT_TIMEOUT_MS = 55_000;
/** How soon to ask again about an operation that is still running. */
export const IN_PROGRESS_RETRY_AFTER_MS = 10_000;

/**
 * The cloud side of the agent protocol: signs each call with the agent's shared secret, sends it
 * through the relay transport, checks the reply's signature and shape, and turns agent errors into
 * TransientError (retry) or PermanentError (with a remedy).
 */
export class AgentClient {
    private readonly now: () => number;
    private readonly logger: Logger;

    constructor(private readonly options: AgentClientOptions) {
        this.now = options.now ?? Date.now;
        this.logger = options.logger ?? new Logger({ component: 'agent-client' }, silentSink);
    }

    async call<N extends OperationName>(operation: N, params: OperationParamsInput<N>, options: AgentCallOptions): Promise<OperationResult<N>> {
        const operationId = operationIdSchema.safeParse(options.operationId);
        if (!operationId.success) throw new ValidationError([{ field: 'operationId', reason: operationId.error.issues[0]?.message ?? 'invalid' }]);
        const parsedParams = OPERATION_SCHEMAS[operation].params.safeParse(params);
        if (!parsedParams.success) {
            throw new ValidationError(parsedParams.error.issues.map((issue) => ({ field: `params.${issue.path.map(String).join('.')}`, reason: issue.message })));
        }

        const secret = await this.options.sharedSecretFor(options.hybridConnection);
        const path = operationPath(operation);
        const body = Buffer.from(JSON.stringify({ operationId: operationId.data, params: parsedParams.data }), 'utf8');
        const signature = signRequest({ method: 'POST', path, body }, secret, { nowMs: this.now() });
        const response = await this.options.transport.send(options.hybridConnection, {
            path,
            headers: { 'content-type': 'application/json; charset=utf-8', ...signature },
            body,
            timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
        });

        // The signature is checked before anything in the reply is believed, a failure's code and transient flag included (issue 15, finding 6).
        const replySignature = response.headers[SIGNATURE_HEADERS.replySignature];
        const signed = verifyReplySignature(signature[SIGNATURE_HEADERS.nonce] ?? '', response.status, response.body, replySignature, secret);
        const envelope = parseEnvelope(response.body, response.status, operation);
        if (!signed) throw unsignedReplyError(envelope, operation);
        if (!envelope.ok) throw agentError(envelope.error, operation);
        const result = OPERATION_SCHEMAS[operation].result.safeParse(envelope.result);
        if (!result.success) {
            const fields = result.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)').join(', ');
            throw new PermanentError('agent_result_invalid', `The agent's ${operation} result does not match the protocol (${fields}).`, {
                cause: result.error,
                remedy: 'Update the agent to the version of the cloud side.',
            });
        }
        this.logger.debug('agent call succeeded', { operation, operationId: operationId.data, hybridConnection: options.hybridConnection });
        return result.data as OperationResult<N>;
    }

    /** Seals a PFX for installCertificate under the agent's shared secret (the caller never sees the secret). */
    async sealPrivateKey(hybridConnection: string, material: PrivateKeyMaterial): Promise<SealedPrivateKey> {
        return sealPrivateKey(material, await this.options.sharedSecretFor(hybridConnection));
    }
}

function parseEnvelope(body: Buffer, status: number, operation: string): ReturnType<typeof replyEnvelopeSchema.parse> {
    let json: unknown;
    try {
        json = JSON.parse(body.toString('utf8'));
    } catch (error) {
        throw invalidReply(status, operation, error);
    }
    const parsed = replyEnvelopeSchema.safeParse(json);
    if (!parsed.success) throw invalidReply(status, operation, parsed.error);
    return parsed.data;
}

function invalidReply(status: number, operation: string, cause: unknown): Error {
    const message = `The agent answered ${operation} with HTTP ${status} and no protocol reply.`;
    return status >= 500 ? new TransientError('agent_reply_invalid', message, { cause }) : new PermanentError('agent_reply_invalid', message, { cause, remedy: 'Update the agent to the version of the cloud side.' });
}

/**
 * The refusals the agent answers before the request's signature verified, and so never signs: an
 * unsigned reply claiming one of them is taken as that refusal, always permanent, with the remedy
 * from our own table; any other unsigned reply (a success, in_progress, an Exchange failure) is
 * refused, whatever it says.
 */
const UNSIGNED_REFUSALS: readonly string[] = ['unsigned', 'bad_signature', 'clock_skew', 'replayed_nonce', 'body_too_large'];

function unsignedReplyError(envelope: ReturnType<typeof replyEnvelopeSchema.parse>, operation: string): Error {
    if (!envelope.ok && UNSIGNED_REFUSALS.includes(envelope.error.code) && isAgentErrorCode(envelope.error.code)) {
        const remedy = agentErrorSpec(envelope.error.code).remedy;
        return new PermanentError(envelope.error.code, `Agent ${operation}: the agent refused the request (${envelope.error.code}, an unsigned reply)`, remedy === undefined ? {} : { remedy });
    }
    return new PermanentError('agent_reply_unsigned', `The ${operation} reply is not signed by the agent: it was altered on the way or came from elsewhere.`, {
        remedy: 'Check the relay namespace and the agent behind this hybrid connection.',
    });
}

function agentError(error: AgentErrorBody, operation: string): Error {
    const message = `Agent ${operation}: ${error.message}`;
    if (error.transient) {
        return new TransientError(error.code, message, error.code === 'in_progress' ? { retryAfterMs: IN_PROGRESS_RETRY_AFTER_MS } : {});
    }
    const remedy = isAgentErrorCode(error.code) ? agentErrorSpec(error.code).remedy : undefined;
    return new PermanentError(error.code, message, remedy === undefined ? {} : { remedy });
}
