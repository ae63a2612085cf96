import { z } from 'zod';

/**
 * The JSON messages of the Azure Relay Hybrid Connections protocol (control channel and rendezvous),
 * as documented in "Azure Relay Hybrid Connections protocol". Bodies travel as binary WebSocket
 * messages right after the JSON message whose `body` is true.
 */

/** Bodies up to this size may travel on the control channel; larger ones need a rendezvous socket. */
export const CONTROL_CHANNEL_BODY_LIMIT = 64 * 1024;

const headersSchema = z.record(z.string(), z.string());

export const requestMessageSchema = z.object({
    request: z.object({
        /** Rendezvous address for this request; the only field when the request must be fetched there. */
        address: z.string().optional(),
        id: z.string().optional(),
        requestTarget: z.string().optional(),
        method: z.string().optional(),
        requestHeaders: headersSchema.optional(),
        body: z.boolean().optional(),
    }),
});

export const acceptMessageSchema = z.object({
    accept: z.object({ address: z.string(), id: z.string().optional(), connectHeaders: headersSchema.optional() }),
});

export const responseMessageSchema = z.object({
    response: z.object({
        requestId: z.string(),
        // The documentation's example writes the status as a string; the SDKs write a number.
        statusCode: z.union([z.number().int(), z.string().regex(/^\d{3}$/).transform(Number)]),
        statusDescription: z.string().nullish(),
        responseHeaders: headersSchema.nullish(),
        body: z.boolean(),
    }),
});

export const renewTokenMessageSchema = z.object({ renewToken: z.object({ token: z.string() }) });

export type RequestMessage = z.infer<typeof requestMessageSchema>['request'];
export type ResponseMessage = z.infer<typeof responseMessageSchema>['response'];

export type ParsedMessage =
    | { readonly kind: 'request'; readonly request: RequestMessage }
    | { readonly kind: 'accept'; readonly address: string }
    | { readonly kind: 'response'; readonly response: ResponseMessage }
    | { readonly kind: 'renewToken'; readonly token: string }
    | { readonly kind: 'unknown' };

export function parseRelayMessage(text: string): ParsedMessage {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        return { kind: 'unknown' };
    }
    const request = requestMessageSchema.safeParse(json);
    if (request.success) return { kind: 'request', request: request.data.request };
    const response = responseMessageSchema.safeParse(json);
    if (response.success) return { kind: 'response', response: response.data.response };
    const accept = acceptMessageSchema.safeParse(json);
    if (accept.success) return { kind: 'accept', address: accept.data.accept.address };
    const renew = renewTokenMessageSchema.safeParse(json);
    if (renew.success) return { kind: 'renewToken', token: renew.data.renewToken.token };
    return { kind: 'unknown' };
}

/**
 * Headers defined by RFC 7230 relate to one HTTP hop; the relay neither forwards them in requests
 * nor accepts them in responses.
 */
const HOP_HEADERS = new Set(['connection', 'content-length', 'host', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'close', 'keep-alive', 'proxy-connection']);

export function isHopHeader(name: string): boolean {
    return HOP_HEADERS.has(name.toLowerCase());
}

/** Lower-cased names, hop headers removed. */
export function endToEndHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        if (!isHopHeader(name)) out[name.toLowerCase()] = value;
    }
    return out;
}
