import { describe, expect, it } from 'vitest';
import { endToEndHeaders, parseRelayMessage } from '../../agent/relay/protocol-messages';
import { pathBelowHybridConnection } from '../../agent/relay/request-exchange';

describe('pathBelowHybridConnection', () => {
    it.each([
        ['/agent-1/ops/inventory', '/ops/inventory'],
        ['/AGENT-1/ops/inventory?x=1', '/ops/inventory?x=1'],
        ['/agent-1', '/'],
        ['/agent-1?x=1', '/?x=1'],
        ['/agent-10/ops', '/agent-10/ops'],
        ['/ops/inventory', '/ops/inventory'],
    ])('turns the request target %s into %s', (target, expected) => {
        // Act
        const path = pathBelowHybridConnection(target, 'agent-1');

        // Assess
        expect(path).toBe(expected);
    });
});

describe('parseRelayMessage', () => {
    it.each([
        ['a request on the control channel', { request: { address: 'wss://x', id: '1', requestTarget: '/a', method: 'POST', requestHeaders: { A: 'b' }, body: true } }, { kind: 'request' }],
        ['a request announced for rendezvous', { request: { address: 'wss://x', id: '1' } }, { kind: 'request', request: { address: 'wss://x', id: '1' } }],
        ['a response with the status as a string, as the documentation shows', { response: { requestId: '1', statusCode: '200', body: false } }, { kind: 'response', response: { statusCode: 200 } }],
        ['a response with a numeric status, as the SDKs write it', { response: { requestId: '1', statusCode: 404, statusDescription: 'Not Found', body: true } }, { kind: 'response', response: { statusCode: 404 } }],
        ['a token renewal', { renewToken: { token: 'SharedAccessSignature sr=a&sig=b&se=1&skn=c' } }, { kind: 'renewToken' }],
        ['a WebSocket accept', { accept: { address: 'wss://x', id: '1', connectHeaders: {} } }, { kind: 'accept', address: 'wss://x' }],
        ['something else', { hello: 1 }, { kind: 'unknown' }],
    ])('recognizes %s', (_label, json, expected) => {
        // Act
        const parsed = parseRelayMessage(JSON.stringify(json));

        // Assess
        expect(parsed).toMatchObject(expected);
    });

    it('treats text that is not JSON as unknown', () => {
        // Act
        const parsed = parseRelayMessage('not json');

        // Assess
        expect(parsed).toEqual({ kind: 'unknown' });
    });
});

describe('endToEndHeaders', () => {
    it('lower-cases names and drops the headers RFC 7230 reserves for one hop', () => {
        // Act
        const headers = endToEndHeaders({ 'Content-Type': 'application/json', 'Content-Length': '5', Connection: 'keep-alive', 'Transfer-Encoding': 'chunked', Host: 'x', 'X-Signature': 's' });

        // Assess
        expect(headers).toEqual({ 'content-type': 'application/json', 'x-signature': 's' });
    });
});
