import { createHash, randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { HybridConnectionListener, type HybridConnectionListenerOptions } from '../../agent/relay/hybrid-connection-listener';
import type { RelayedRequestHandler, RelayedResponse } from '../../agent/relay/types';
import { RelaySender, type RelaySenderOptions } from '../../lib/relay/relay-sender';
import { startRelayStandIn } from '../../local/relay/relay-stand-in';
import type { ExchangeRecord, RelayStandIn, StandInEvent } from '../../local/relay/stand-in-types';
import { TestCertificateAuthority, type ServerTlsMaterial } from '../../local/tls/test-authority';

export const HYBRID_CONNECTION = 'agent-contoso';

export function azureLikeKey(): string {
    return randomBytes(32).toString('base64');
}

export const LISTEN_RULE = { name: 'agent-listen', key: azureLikeKey() };
export const SEND_RULE = { name: 'orchestrator-send', key: azureLikeKey() };

let sharedTls: ServerTlsMaterial | undefined;

/** One server certificate per test file: issuing RSA keys is the slow part of a stand-in. */
export function standInTls(): ServerTlsMaterial {
    sharedTls ??= new TestCertificateAuthority().issueServerCertificate();
    return sharedTls;
}

export function startStandIn(answerTimeoutMs?: number): Promise<RelayStandIn> {
    return startRelayStandIn({
        tls: standInTls(),
        hybridConnections: [{ path: HYBRID_CONNECTION, listenRule: LISTEN_RULE, sendRule: SEND_RULE }],
        ...(answerTimeoutMs === undefined ? {} : { answerTimeoutMs }),
    });
}

/** What a test pushed to be undone, run last first after each test; `relay()` starts a stand-in that is stopped there. */
export function cleanupAfterEach(): { readonly cleanups: (() => Promise<void> | void)[]; relay(): Promise<RelayStandIn> } {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterEach(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
        cleanups.length = 0;
    });
    return {
        cleanups,
        async relay() {
            const standIn = await startStandIn();
            cleanups.push(() => standIn.stop());
            return standIn;
        },
    };
}

export function listenerFor(standIn: RelayStandIn, handler: RelayedRequestHandler, overrides: Partial<HybridConnectionListenerOptions> = {}): HybridConnectionListener {
    return new HybridConnectionListener({
        namespace: standIn.namespace,
        hybridConnection: HYBRID_CONNECTION,
        listenRule: LISTEN_RULE,
        handler,
        ca: standIn.caPem,
        backoff: { initialDelayMs: 20, maxDelayMs: 200 },
        ...overrides,
    });
}

export function senderFor(standIn: RelayStandIn, overrides: Partial<RelaySenderOptions> = {}): RelaySender {
    return new RelaySender({ namespace: standIn.namespace, sendRule: SEND_RULE, ca: standIn.caPem, ...overrides });
}

/** Answers with what it received, so a test can compare both ends. */
export const echoHandler: RelayedRequestHandler = (request) =>
    Promise.resolve({
        status: 200,
        headers: { 'content-type': 'application/json', 'x-echo-method': request.method, 'x-echo-path': request.path },
        body: Buffer.from(JSON.stringify({ headers: request.headers, bodyBase64: request.body.toString('base64') })),
    });

export function sha256(data: Buffer): string {
    return createHash('sha256').update(data).digest('hex');
}

export function jsonResponse(status: number, value: unknown): RelayedResponse {
    return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}

/** Collects stand-in events for the length of a test. */
export function recordEvents(standIn: RelayStandIn): { events: StandInEvent[]; exchanges: () => ExchangeRecord[]; stop: () => void } {
    const events: StandInEvent[] = [];
    const stop = standIn.onEvent((event) => events.push(event));
    return { events, exchanges: () => events.flatMap((e) => (e.type === 'exchange-completed' ? [e.record] : [])), stop };
}

/** Resolves with the first stand-in event that matches. */
export function nextEvent<T extends StandInEvent['type']>(standIn: RelayStandIn, type: T, matches: (event: Extract<StandInEvent, { type: T }>) => boolean = () => true): Promise<Extract<StandInEvent, { type: T }>> {
    return new Promise((resolve) => {
        const stop = standIn.onEvent((event) => {
            if (event.type !== type) return;
            const typed = event as Extract<StandInEvent, { type: T }>;
            if (!matches(typed)) return;
            stop();
            resolve(typed);
        });
    });
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((done) => {
        resolve = done;
    });
    return { promise, resolve };
}
