import { verifySasToken, type SasRejection } from '../../lib/relay/sas-token';
import type { Clock } from '../clock';
import type { StandInHybridConnection } from './stand-in-types';

export type RelayRight = 'Listen' | 'Send';

export type AuthOutcome =
    | { readonly granted: true; readonly expiresAtSeconds: number }
    | { readonly granted: false; readonly status: 401 | 403; readonly detail: string };

const REJECTION_DETAIL: Record<SasRejection, string> = {
    malformed: 'MalformedToken: the token is not a SharedAccessSignature',
    'unknown-key': 'InvalidSignature: the token names an unknown shared access rule',
    'bad-signature': 'InvalidSignature: the token has an invalid signature',
    expired: 'ExpiredToken: the token has expired',
    'wrong-audience': 'InvalidAudience: the token is not valid for this path',
};

/**
 * Authorizes a token as the service does: 401 when it is missing, malformed, of an unknown rule,
 * badly signed or expired; 403 when it is valid but not for this path or not with this right.
 */
export function authorizeRelayToken(token: string | undefined, hybridConnection: StandInHybridConnection, right: RelayRight, namespaceHost: string, clock: Clock): AuthOutcome {
    if (token === undefined || token === '') return { granted: false, status: 401, detail: 'MissingToken: the request carries no relay token' };
    const rules = [hybridConnection.listenRule, hybridConnection.sendRule];
    const verdict = verifySasToken(token, {
        keyFor: (name) => rules.find((rule) => rule.name === name)?.key,
        resource: `http://${namespaceHost}/${hybridConnection.path}`,
        now: () => clock.now(),
    });
    if (!verdict.valid) return { granted: false, status: verdict.reason === 'wrong-audience' ? 403 : 401, detail: REJECTION_DETAIL[verdict.reason] };
    const ruleWithRight = right === 'Listen' ? hybridConnection.listenRule : hybridConnection.sendRule;
    if (verdict.keyName !== ruleWithRight.name) return { granted: false, status: 403, detail: `Unauthorized: rule "${verdict.keyName}" lacks the ${right} right` };
    return { granted: true, expiresAtSeconds: verdict.expiresAtSeconds };
}
