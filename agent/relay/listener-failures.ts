import { PermanentError, PushProxyError, TransientError } from '../../lib/errors';

export interface ControlChannelEnding {
    /** HTTP status when the relay refused the WebSocket handshake. */
    readonly refusedStatus: number | undefined;
    readonly closeCode: number;
    readonly closeReason: string;
    readonly socketError: Error | undefined;
}

export interface ListenerIdentity {
    readonly namespace: string;
    readonly hybridConnection: string;
    readonly ruleName: string;
}

/**
 * Why a control channel ended. Refusals the documentation lists for the listener handshake
 * (401 bad token, 403 no Listen right, 404 no such hybrid connection) cannot heal by retrying.
 */
export function controlChannelFailure(ending: ControlChannelEnding, who: ListenerIdentity): PushProxyError {
    const hc = who.hybridConnection;
    switch (ending.refusedStatus) {
        case undefined:
            break;
        case 401:
            return new PermanentError('relay-listen-unauthorized', `The relay refused the Listen token of rule "${who.ruleName}" for hybrid connection "${hc}" (401)`, {
                remedy: `Check the Listen rule name "${who.ruleName}" and its key in the agent configuration against the hybrid connection's shared access policies.`,
            });
        case 403:
            return new PermanentError('relay-listen-forbidden', `Rule "${who.ruleName}" may not listen on hybrid connection "${hc}" (403)`, {
                remedy: `Use a shared access rule with the Listen right on hybrid connection "${hc}".`,
            });
        case 404:
            return new PermanentError('relay-hybrid-connection-not-found', `The relay namespace has no hybrid connection "${hc}" (404)`, {
                remedy: `Check the hybrid connection name "${hc}" and the namespace ${who.namespace} in the agent configuration.`,
            });
        default:
            return new TransientError('relay-listen-refused', `The relay refused the control channel for "${hc}" (${ending.refusedStatus})`);
    }
    // The proxy's own refusals (407, 403) already say whether retrying can help.
    if (ending.socketError instanceof PushProxyError) return ending.socketError;
    if (ending.socketError !== undefined && ending.closeCode === 1006) {
        return new TransientError('relay-control-channel-failed', `The control channel for "${hc}" failed: ${ending.socketError.message}`, { cause: ending.socketError });
    }
    const reason = ending.closeReason === '' ? '' : `: ${ending.closeReason}`;
    return new TransientError('relay-control-channel-closed', `The relay closed the control channel for "${hc}" (${ending.closeCode}${reason})`);
}
