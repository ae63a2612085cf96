import { type ReplyEnvelope, type SharedSecret, SIGNATURE_HEADERS, signReply } from '../../lib/protocol';
import type { RelayedResponse } from '../relay/types';

export const AGENT_REPLY_HEADER = 'x-ppo-agent';

/** Serializes a reply and, when the request carried a nonce, signs it bound to that nonce. */
export function signedReply(status: number, envelope: ReplyEnvelope, requestNonce: string | undefined, secret: SharedSecret): RelayedResponse {
    const body = Buffer.from(JSON.stringify(envelope), 'utf8');
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', [AGENT_REPLY_HEADER]: '1' };
    if (requestNonce !== undefined) headers[SIGNATURE_HEADERS.replySignature] = signReply(requestNonce, status, body, secret);
    return { status, headers, body };
}
