/**
 * Error codes the agent answers with. `status` is the HTTP status of the reply; `transient` tells
 * the caller whether retrying can help; `remedy` is what the administrator should do.
 */
export interface AgentErrorSpec {
    readonly status: number;
    readonly transient: boolean;
    readonly remedy?: string;
}

const SECRET_REMEDY = 'Make sure the agent configuration and the cloud side hold the same shared secret for this hybrid connection.';

export const AGENT_ERRORS = {
    unsigned: { status: 401, transient: false, remedy: 'Send requests through the agent client, which signs them.' },
    bad_signature: { status: 401, transient: false, remedy: SECRET_REMEDY },
    clock_skew: { status: 401, transient: false, remedy: 'Synchronize the clock of the agent host (w32tm /resync); the allowed skew is 300 seconds.' },
    replayed_nonce: { status: 401, transient: false, remedy: 'Each request needs a fresh nonce; a replayed request is refused.' },
    method_not_allowed: { status: 405, transient: false },
    unknown_operation: { status: 404, transient: false, remedy: 'Update the agent: it does not know this operation.' },
    body_too_large: { status: 413, transient: false },
    malformed_request: { status: 400, transient: false },
    invalid_params: { status: 400, transient: false },
    operation_id_conflict: { status: 409, transient: false, remedy: 'An operation id names one request; use a new id for different parameters.' },
    in_progress: { status: 409, transient: true },
    seal_invalid: { status: 400, transient: false, remedy: SECRET_REMEDY },
    exchange_failed: { status: 422, transient: false },
    exchange_unreachable: { status: 503, transient: true, remedy: 'Check that the Exchange server the agent connects to answers remote PowerShell (WinRM, http://<server>/PowerShell/).' },
    untrusted_value: {
        status: 403,
        transient: false,
        remedy: "The agent accepts only the AuthServer MicrosoftSts for one of the organization's accepted domains (or its onmicrosoft domain), and the push proxy only for those domains: onboard the tenant from a domain the organization accepts.",
    },
    shell_unavailable: { status: 500, transient: true, remedy: 'Check that Windows PowerShell and the Exchange management tools work on the agent host (agent check).' },
    shell_timeout: { status: 500, transient: true },
    internal: { status: 500, transient: false },
} as const satisfies Record<string, AgentErrorSpec>;

export type AgentErrorCode = keyof typeof AGENT_ERRORS;

export const AGENT_ERROR_CODES = Object.keys(AGENT_ERRORS) as AgentErrorCode[];

export function isAgentErrorCode(value: string): value is AgentErrorCode {
    return Object.hasOwn(AGENT_ERRORS, value);
}

export function agentErrorSpec(code: AgentErrorCode): AgentErrorSpec {
    return AGENT_ERRORS[code];
}
