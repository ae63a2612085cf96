import { PushProxyError } from '../../lib/errors';
import { type AgentErrorCode, agentErrorSpec, failureReply, isAgentErrorCode } from '../../lib/protocol';
import { redactText } from '../../lib/redact';
import type { OperationReply } from '../store/idempotent-runner';

const MAX_MESSAGE_CHARS = 2000;

function codeFor(error: PushProxyError): AgentErrorCode {
    if (isAgentErrorCode(error.code)) return error.code;
    return error.transient ? 'shell_unavailable' : 'exchange_failed';
}

/** The reply for an operation that threw: Exchange and shell errors keep their message; anything else says only "internal". */
export function operationErrorReply(error: unknown): OperationReply {
    if (error instanceof PushProxyError) {
        const code = codeFor(error);
        const spec = agentErrorSpec(code);
        return {
            status: spec.status,
            envelope: failureReply(code, redactText(error.message).slice(0, MAX_MESSAGE_CHARS)),
            storable: !spec.transient,
        };
    }
    return { status: agentErrorSpec('internal').status, envelope: failureReply('internal', 'The agent failed unexpectedly; see its log.'), storable: false };
}
