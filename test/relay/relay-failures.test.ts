import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import { PermanentError, type PushProxyError, TransientError } from '../../lib/errors';
import { Logger, MemoryLogSink } from '../../lib/logger';
import { relayNetworkFailure, relayStatusFailure } from '../../lib/relay/relay-failures';
import { RelaySender } from '../../lib/relay/relay-sender';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, LISTEN_RULE, SEND_RULE, azureLikeKey, echoHandler, listenerFor, senderFor, startStandIn } from './relay-harness';

async function failureOf(work: Promise<unknown>): Promise<PushProxyError> {
    try {
        await work;
    } catch (error) {
        return error as PushProxyError;
    }
    throw new Error('expected the relay request to fail');
}

const request = { path: '/ops/inventory', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') };

describe('relay sender failure mapping against the stand-in', () => {
    let standIn: RelayStandIn;
    let listener: HybridConnectionListener;
    let releaseSilentHandler: () => void = () => undefined;

    beforeAll(async () => {
        standIn = await startStandIn(300);
        listener = listenerFor(standIn, (relayed) => {
            if (relayed.path !== '/silent') return echoHandler(relayed);
            return new Promise((resolve) => {
                releaseSilentHandler = () => resolve({ status: 200, headers: {}, body: Buffer.alloc(0) });
            });
        });
        listener.start();
        await listener.connected();
    });

    afterEach(() => {
        standIn.setDelayMs(0);
        standIn.refuseNext503(0);
        releaseSilentHandler();
    });

    afterAll(async () => {
        await listener.close();
        await standIn.stop();
    });

    it.each([
        ['a wrong Send key', { name: SEND_RULE.name, key: azureLikeKey() }, 'relay-unauthorized', /Send rule name and key/],
        ['an unknown rule', { name: 'no-such-rule', key: SEND_RULE.key }, 'relay-unauthorized', /Send rule name and key/],
        ['the Listen rule', LISTEN_RULE, 'relay-forbidden', /Send right/],
    ])('fails for good with a remedy when sending with %s', async (_label, sendRule, code, remedy) => {
        // Prepare
        const memory = new MemoryLogSink();
        const sender = senderFor(standIn, { sendRule, logger: new Logger({}, memory.sink, 'debug') });

        // Act
        const failure = await failureOf(sender.send(HYBRID_CONNECTION, request));

        // Assess
        expect(failure).toBeInstanceOf(PermanentError);
        expect(failure.code).toBe(code);
        expect(failure.remedy).toMatch(remedy);
        const everything = JSON.stringify({ failure: failure.toDetails(), message: failure.message, logs: memory.records });
        expect(everything).not.toContain(sendRule.key);
        expect(everything).not.toContain('SharedAccessSignature');
        expect(everything).not.toContain('sig=');
    });

    it('fails for good naming the hybrid connection when it does not exist', async () => {
        // Act
        const failure = await failureOf(senderFor(standIn).send('no-such-connection', request));

        // Assess
        expect(failure).toBeInstanceOf(PermanentError);
        expect(failure.code).toBe('relay-hybrid-connection-not-found');
        expect(failure.remedy).toContain('"no-such-connection"');
    });

    it('fails transiently, with the relay\'s retry hint, while the relay refuses with 503', async () => {
        // Prepare
        standIn.refuseNext503(1);
        const sender = senderFor(standIn);

        // Act
        const failure = await failureOf(sender.send(HYBRID_CONNECTION, request));
        const retried = await sender.send(HYBRID_CONNECTION, request);

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure.code).toBe('relay-unavailable');
        expect((failure as TransientError).retryAfterMs).toBe(1000);
        expect(retried.status).toBe(200);
    });

    it('fails transiently with 504 when the listener does not answer in the relay\'s time', async () => {
        // Act
        const failure = await failureOf(senderFor(standIn).send(HYBRID_CONNECTION, { ...request, path: '/silent' }));

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure.code).toBe('relay-listener-timeout');
    });

    it('fails transiently when its own per-request timeout passes first', async () => {
        // Prepare
        standIn.setDelayMs(2_000);

        // Act
        const failure = await failureOf(senderFor(standIn).send(HYBRID_CONNECTION, { ...request, timeoutMs: 100 }));

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure.code).toBe('relay-timeout');
    });

    it('fails for good when the relay certificate is not trusted, rather than skipping the check', async () => {
        // Prepare
        const sender = new RelaySender({ namespace: standIn.namespace, sendRule: SEND_RULE });

        // Act
        const failure = await failureOf(sender.send(HYBRID_CONNECTION, request));

        // Assess
        expect(failure).toBeInstanceOf(PermanentError);
        expect(failure.code).toBe('relay-tls-untrusted');
    });
});

describe('relay sender without a listener or a relay', () => {
    it('fails transiently when no listener is connected', async () => {
        // Prepare
        const standIn = await startStandIn();

        // Act
        const failure = await failureOf(senderFor(standIn).send(HYBRID_CONNECTION, request));
        await standIn.stop();

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure.code).toBe('relay-no-listener');
    });

    it('fails transiently when the relay cannot be reached', async () => {
        // Prepare
        const standIn = await startStandIn();
        const sender = senderFor(standIn);
        await standIn.stop();

        // Act
        const failure = await failureOf(sender.send(HYBRID_CONNECTION, request));

        // Assess
        expect(failure).toBeInstanceOf(TransientError);
        expect(failure.code).toBe('relay-connection-failed');
    });
});

describe('relayStatusFailure', () => {
    const target = { namespace: 'contoso.servicebus.windows.net', hybridConnection: 'agent-1', path: '/ops/inventory' };

    it.each([
        [401, PermanentError, 'relay-unauthorized'],
        [403, PermanentError, 'relay-forbidden'],
        [404, PermanentError, 'relay-hybrid-connection-not-found'],
        [413, PermanentError, 'relay-rejected'],
        [500, TransientError, 'relay-service-error'],
        [502, TransientError, 'relay-no-listener'],
        [503, TransientError, 'relay-unavailable'],
        [504, TransientError, 'relay-listener-timeout'],
    ])('maps a relay %i to %o (%s)', (status, errorClass, code) => {
        // Act
        const failure = relayStatusFailure(status, target, '<Error><Code>x</Code></Error>');

        // Assess
        expect(failure).toBeInstanceOf(errorClass);
        expect(failure.code).toBe(code);
        expect(failure.message).toContain('"agent-1"');
    });

    it.each([
        { detail: '<Error><Code>404</Code><Detail>There are no listeners connected for the endpoint. TrackingId:0f0e, SystemTracker:contoso.servicebus.windows.net:agent-1</Detail></Error>', errorClass: TransientError, code: 'relay-no-listener' },
        { detail: '404 There are no listeners connected for the endpoint. TrackingId:1', errorClass: TransientError, code: 'relay-no-listener' },
        { detail: '<Error><Code>404</Code><Detail>Endpoint does not exist. TrackingId:2</Detail></Error>', errorClass: PermanentError, code: 'relay-hybrid-connection-not-found' },
    ])('maps a relay 404 "$detail" to $code', ({ detail, errorClass, code }) => {
        // Act
        const failure = relayStatusFailure(404, target, detail);

        // Assess
        expect(failure).toBeInstanceOf(errorClass);
        expect(failure.code).toBe(code);
    });

    it('removes a token that a relay error body might echo', () => {
        // Act
        const failure = relayStatusFailure(401, target, 'bad token SharedAccessSignature sr=a&sig=b&se=1&skn=c');

        // Assess
        expect(failure.message).not.toContain('sig=b');
    });
});

describe('relayNetworkFailure', () => {
    const target = { namespace: 'contoso.servicebus.windows.net', hybridConnection: 'agent-1', path: '/ops/inventory' };

    it.each([
        ['ECONNRESET', TransientError, 'relay-connection-failed'],
        ['ECONNREFUSED', TransientError, 'relay-connection-failed'],
        ['EPIPE', TransientError, 'relay-connection-failed'],
        ['ETIMEDOUT', TransientError, 'relay-connection-failed'],
        ['EAI_AGAIN', TransientError, 'relay-connection-failed'],
        ['ENOTFOUND', PermanentError, 'relay-namespace-not-found'],
        ['CERT_HAS_EXPIRED', PermanentError, 'relay-tls-untrusted'],
        ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', PermanentError, 'relay-tls-untrusted'],
    ])('maps %s to %o (%s)', (errorCode, errorClass, code) => {
        // Act
        const failure = relayNetworkFailure(Object.assign(new Error('socket trouble'), { code: errorCode }), target);

        // Assess
        expect(failure).toBeInstanceOf(errorClass);
        expect(failure.code).toBe(code);
    });
});
