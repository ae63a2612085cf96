import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../agent/audit/audit-log';
import { createAgentRequestHandler } from '../../agent/handler/request-handler';
import type { RelayedRequest } from '../../agent/relay/types';
import { OperationStore } from '../../agent/store/operation-store';
import { SIGNATURE_HEADERS } from '../../lib/protocol';
import { createWorld } from './support/world';
import { bodyOf, OTHER_SECRET, replyJson, SHARED_SECRET, signedRequest } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';

const newFolder = useTempFolders();

async function agentUnderTest() {
    const world = createWorld();
    const audit = new MemoryAuditLog();
    const store = await OperationStore.open(await newFolder(), { now: () => world.clock.now() });
    const handler = createAgentRequestHandler({ sharedSecret: SHARED_SECRET, shell: world.exchange, store, audit, now: () => world.clock.now() });
    return { world, audit, handler };
}

type RequestMaker = (nowMs: number) => RelayedRequest;

function withoutSignature(request: RelayedRequest): RelayedRequest {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !name.startsWith('x-ppo-')));
    return { ...request, headers };
}

const rejections: [string, RequestMaker, number, string][] = [
    ['an unsigned request', (now) => withoutSignature(signedRequest({ nowMs: now })), 401, 'unsigned'],
    ['a request signed with another secret', (now) => signedRequest({ nowMs: now, secret: OTHER_SECRET }), 401, 'bad_signature'],
    ['a malformed signature header', (now) => { const r = signedRequest({ nowMs: now }); return { ...r, headers: { ...r.headers, [SIGNATURE_HEADERS.signature]: 'not-base64!' } }; }, 401, 'bad_signature'],
    ['a stale timestamp (301 s old)', (now) => signedRequest({ nowMs: now - 301_000 }), 401, 'clock_skew'],
    ['a future timestamp (301 s ahead)', (now) => signedRequest({ nowMs: now + 301_000 }), 401, 'clock_skew'],
    ['a tampered body', (now) => ({ ...signedRequest({ nowMs: now, operation: 'invokeProbe', params: {} }), body: bodyOf('op-1', { server: 'EX2' }) }), 401, 'bad_signature'],
    ['a path changed after signing', (now) => ({ ...signedRequest({ nowMs: now, operation: 'inventory' }), path: '/ops/invokeProbe' }), 401, 'bad_signature'],
    ['a body over 1 MiB (2 MB)', (now) => signedRequest({ nowMs: now, body: Buffer.alloc(2_000_000, 0x20) }), 413, 'body_too_large'],
    ['a GET', (now) => signedRequest({ nowMs: now, method: 'GET' }), 405, 'method_not_allowed'],
    ['an unknown operation', (now) => signedRequest({ nowMs: now, path: '/ops/removeEverything' }), 404, 'unknown_operation'],
    ['a trailing slash', (now) => signedRequest({ nowMs: now, path: '/ops/inventory/' }), 404, 'unknown_operation'],
    ['a dot segment', (now) => signedRequest({ nowMs: now, path: '/ops/../ops/inventory' }), 404, 'unknown_operation'],
    ['another case', (now) => signedRequest({ nowMs: now, path: '/ops/Inventory' }), 404, 'unknown_operation'],
    ['a query string', (now) => signedRequest({ nowMs: now, path: '/ops/inventory?x=1' }), 404, 'unknown_operation'],
    ['percent encoding', (now) => signedRequest({ nowMs: now, path: '/ops/%69nventory' }), 404, 'unknown_operation'],
    ['a prototype property', (now) => signedRequest({ nowMs: now, path: '/ops/constructor' }), 404, 'unknown_operation'],
    ['__proto__', (now) => signedRequest({ nowMs: now, path: '/ops/__proto__' }), 404, 'unknown_operation'],
    ['a double slash', (now) => signedRequest({ nowMs: now, path: '/ops//inventory' }), 404, 'unknown_operation'],
    ['a body that is not JSON', (now) => signedRequest({ nowMs: now, body: Buffer.from('{not json') }), 400, 'malformed_request'],
    ['a body without operation id', (now) => signedRequest({ nowMs: now, body: Buffer.from('{"params":{}}') }), 400, 'malformed_request'],
    ['an operation id with spaces', (now) => signedRequest({ nowMs: now, operationId: 'a b' }), 400, 'malformed_request'],
    ['an invalid thumbprint', (now) => signedRequest({ nowMs: now, operation: 'setAuthConfig', params: { action: 'setCurrent', thumbprint: 'zz' } }), 400, 'invalid_params'],
    ['an unknown parameter', (now) => signedRequest({ nowMs: now, operation: 'inventory', params: { script: 'Remove-Mailbox' } }), 400, 'invalid_params'],
    ['an unknown setAuthConfig action', (now) => signedRequest({ nowMs: now, operation: 'setAuthConfig', params: { action: 'remove' } }), 400, 'invalid_params'],
    ['a non-https metadata URL', (now) => signedRequest({ nowMs: now, operation: 'ensureAuthServer', params: { authMetadataUrl: 'http://evil.example/x' } }), 400, 'invalid_params'],
    ['a server name with a script', (now) => signedRequest({ nowMs: now, operation: 'invokeProbe', params: { server: 'EX1; Remove-Item C:\\' } }), 400, 'invalid_params'],
    ['installCertificate without a source', (now) => signedRequest({ nowMs: now, operation: 'installCertificate', params: { thumbprint: 'A'.repeat(40) } }), 400, 'invalid_params'],
];

describe('agent request handler rejections', () => {
    it.each(rejections)('refuses %s with its error, an audit line and no Exchange command, signing the reply only when the request verified', async (_label, makeRequest, status, code) => {
        // Prepare
        const { world, audit, handler } = await agentUnderTest();
        const verified = !['unsigned', 'bad_signature', 'clock_skew', 'replayed_nonce', 'body_too_large'].includes(code);

        // Act
        const response = await handler(makeRequest(world.clock.now()));

        // Assess
        expect(response.status).toBe(status);
        // Issue 15, finding 6: a signature over a reply to an unverified request would be an oracle for whoever sent it.
        expect({ code, signed: response.headers[SIGNATURE_HEADERS.replySignature] !== undefined }).toEqual({ code, signed: verified });
        expect(replyJson(response.body)).toEqual({ ok: false, error: { code, message: expect.any(String) as string, transient: false } });
        expect(audit.entries).toEqual([expect.objectContaining({ verdict: 'rejected', outcome: 'not_run', code, status })]);
        expect(world.exchange.commandLog()).toEqual([]);
    });

    it('refuses a replayed request: the first runs, the replay runs nothing', async () => {
        // Prepare
        const { world, audit, handler } = await agentUnderTest();
        const request = signedRequest({ nowMs: world.clock.now(), operation: 'invokeProbe', params: {} });
        await handler(request);
        const commandsAfterFirst = world.exchange.commandLog().length;
        world.clock.advanceBy(1000);

        // Act
        const replay = await handler({ ...request, body: Buffer.from(request.body) });

        // Assess
        expect(replay.status).toBe(401);
        expect(replyJson(replay.body).error?.code).toBe('replayed_nonce');
        expect(audit.entries.at(-1)).toMatchObject({ verdict: 'rejected', code: 'replayed_nonce', outcome: 'not_run' });
        expect(world.exchange.commandLog()).toHaveLength(commandsAfterFirst);
    });

    it('accepts a timestamp 299 s old: the skew limit is 300 s', async () => {
        // Prepare
        const { world, handler } = await agentUnderTest();

        // Act
        const response = await handler(signedRequest({ nowMs: world.clock.now() - 299_000 }));

        // Assess
        expect(response.status).toBe(200);
    });
});
