import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../agent/audit/audit-log';
import type { AgentRequestHandler } from '../../agent/handler/request-handler';
import { AUDIT_LOG_FILE, openAgentRequestHandler } from '../../agent/open-agent-handler';
import type { HybridConnectionListener } from '../../agent/relay/hybrid-connection-listener';
import type { RelayedResponse } from '../../agent/relay/types';
import { type AgentErrorCode, agentErrorSpec, newNonce, operationPath, SIGNATURE_HEADERS, signRequest } from '../../lib/protocol';
import type { AgentTransportRequest } from '../../lib/relay/transport';
import type { RelaySender } from '../../lib/relay/relay-sender';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { bodyOf, OTHER_SECRET, replyJson, SHARED_SECRET } from '../agent/support/signed-requests';
import { createWorld, type TestWorld } from '../agent/support/world';
import { HYBRID_CONNECTION, listenerFor, senderFor, startStandIn } from '../relay/relay-harness';
import { RecordingShell } from './support/recording-shell';

type Attack = (now: number) => AgentTransportRequest;

let sequence = 0;

function signed(options: { path?: string; body?: Buffer; nowMs?: number; secret?: string; nonce?: string } = {}): AgentTransportRequest {
    sequence += 1;
    const path = options.path ?? operationPath('inventory');
    const body = options.body ?? bodyOf(`relay-attack/${sequence}`, {});
    const headers = signRequest({ method: 'POST', path, body }, options.secret ?? SHARED_SECRET, { nowMs: options.nowMs ?? Date.now(), nonce: options.nonce ?? newNonce() });
    return { path, headers: { 'content-type': 'application/json', ...headers }, body };
}

function unsigned(request: AgentTransportRequest): AgentTransportRequest {
    return { ...request, headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !name.startsWith('x-ppo-'))) };
}

/** The attack list of issue 8, sent through the relay stand-in as a caller holding a Send key would send it. */
const ATTACKS: [string, Attack, AgentErrorCode][] = [
    ['an unsigned request', (now) => unsigned(signed({ nowMs: now })), 'unsigned'],
    ['a request signed with another secret', (now) => signed({ nowMs: now, secret: OTHER_SECRET }), 'bad_signature'],
    ['a forged signature header', (now) => { const r = signed({ nowMs: now }); return { ...r, headers: { ...r.headers, [SIGNATURE_HEADERS.signature]: Buffer.alloc(32, 7).toString('base64') } }; }, 'bad_signature'],
    ['a stale timestamp (301 s old)', (now) => signed({ nowMs: now - 301_000 }), 'clock_skew'],
    // Clearly outside the window: real time passes between signing and checking (the exact boundary is tested with injected clocks in test/agent).
    ['a future timestamp (360 s ahead)', (now) => signed({ nowMs: now + 360_000 }), 'clock_skew'],
    ['a body tampered with after signing', (now) => ({ ...signed({ nowMs: now, path: operationPath('invokeProbe'), body: bodyOf('relay-attack/tamper', {}) }), body: bodyOf('relay-attack/tamper', { server: 'EX2' }) }), 'bad_signature'],
    ['an unknown operation', (now) => signed({ nowMs: now, path: '/ops/removeEverything' }), 'unknown_operation'],
    ['another case of an operation', (now) => signed({ nowMs: now, path: '/ops/Inventory' }), 'unknown_operation'],
    ['a trailing slash', (now) => signed({ nowMs: now, path: '/ops/inventory/' }), 'unknown_operation'],
    ['a percent-encoded operation name', (now) => signed({ nowMs: now, path: '/ops/%69nventory' }), 'unknown_operation'],
    ['an encoded slash', (now) => signed({ nowMs: now, path: '/ops/..%2Fops%2Finventory' }), 'unknown_operation'],
    ['a Cyrillic look-alike letter', (now) => signed({ nowMs: now, path: `/ops/${encodeURIComponent('іnventory')}` }), 'unknown_operation'],
    ['an encoded NUL after the name', (now) => signed({ nowMs: now, path: '/ops/inventory%00' }), 'unknown_operation'],
    ['a query string', (now) => signed({ nowMs: now, path: '/ops/inventory?script=Remove-Mailbox' }), 'unknown_operation'],
    ['a prototype property', (now) => signed({ nowMs: now, path: '/ops/constructor' }), 'unknown_operation'],
    // The relay passes the request target to the listener as the sender wrote it (the protocol guide's
    // requestTarget), dot segments included, so the agent sees a path that names no operation.
    ['a dot-dot segment', (now) => signed({ nowMs: now, path: '/ops/../ops/inventory' }), 'unknown_operation'],
    ['a path ending in dot-dot', (now) => signed({ nowMs: now, path: '/ops/inventory/..' }), 'unknown_operation'],
    ['an encoded dot-dot segment', (now) => signed({ nowMs: now, path: '/ops/%2e%2e/ops/inventory' }), 'unknown_operation'],
];

async function auditLines(folder: string): Promise<AuditEntry[]> {
    const text = await readFile(join(folder, AUDIT_LOG_FILE), 'utf8').catch(() => '');
    return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as AuditEntry);
}

/**
 * The attacks end to end: the cloud side's RelaySender, the relay stand-in, the agent's real
 * HybridConnectionListener and its request handler with the audit log on disk. The same attacks
 * against the handler alone are in test/agent/request-handler-rejections.test.ts.
 */
describe('agent attacks through the relay', () => {
    let world: TestWorld;
    let shell: RecordingShell;
    let standIn: RelayStandIn;
    let listener: HybridConnectionListener;
    let sender: RelaySender;
    let handler: AgentRequestHandler;
    let folder: string;

    beforeAll(async () => {
        world = createWorld();
        shell = new RecordingShell(world.exchange);
        folder = await mkdtemp(join(tmpdir(), 'ppo-hostile-relay-'));
        handler = await openAgentRequestHandler({ dataFolder: folder, sharedSecret: SHARED_SECRET, shell });
        standIn = await startStandIn();
        listener = listenerFor(standIn, handler);
        listener.start();
        await listener.connected();
        sender = senderFor(standIn);
    });

    afterAll(async () => {
        sender.close();
        await listener.close();
        await standIn.stop();
        await handler.whenIdle();
        await rm(folder, { recursive: true, force: true });
    });

    async function expectRefusedEndToEnd(send: () => Promise<RelayedResponse>, code: AgentErrorCode): Promise<void> {
        const auditBefore = (await auditLines(folder)).length;
        const callsBefore = shell.calls.length;
        const commandsBefore = world.exchange.commandLog().length;

        const response = await send();

        const status = agentErrorSpec(code).status;
        expect({ status: response.status, code: replyJson(response.body).error?.code }).toEqual({ status, code });
        expect(response.headers.via).toBeDefined();
        expect((await auditLines(folder)).slice(auditBefore)).toEqual([expect.objectContaining({ verdict: 'rejected', outcome: 'not_run', code, status })]);
        expect(shell.calls.slice(callsBefore)).toEqual([]);
        expect(world.exchange.commandLog().length).toBe(commandsBefore);
    }

    it('runs a validly signed operation through the relay: the refusals below are not the relay failing', async () => {
        // Prepare
        const callsBefore = shell.calls.length;

        // Act
        const response = await sender.send(HYBRID_CONNECTION, signed());

        // Assess
        expect(response.status).toBe(200);
        expect(replyJson(response.body).ok).toBe(true);
        expect(shell.calls.slice(callsBefore)).toEqual(['inventory']);
        expect((await auditLines(folder)).at(-1)).toMatchObject({ verdict: 'accepted', outcome: 'succeeded', operation: 'inventory' });
    });

    it.each(ATTACKS)('refuses %s with its error code, one audit line and no Exchange command', async (_label, attack, code) => {
        // Prepare
        const request = attack(Date.now());

        // Act and Assess
        await expectRefusedEndToEnd(() => sender.send(HYBRID_CONNECTION, request), code);
    });

    it('cuts off a 2 MB body (over 1 MiB) on the rendezvous socket before the request handler reads it: no answer, no audit line, no Exchange command', async () => {
        // Prepare (the same body answered 413 by the handler alone: test/agent/request-size.test.ts)
        const auditBefore = (await auditLines(folder)).length;
        const callsBefore = shell.calls.length;
        const ownSender = senderFor(standIn);

        // Act
        const sending = ownSender.send(HYBRID_CONNECTION, signed({ body: Buffer.alloc(2 * 1024 * 1024, 0x20) }));

        // Assess
        await expect(sending).rejects.toMatchObject({ transient: true });
        ownSender.close();
        expect((await auditLines(folder)).slice(auditBefore)).toEqual([]);
        expect(shell.calls.slice(callsBefore)).toEqual([]);
    });

    it('refuses a replayed request: the original runs once, the replay through the relay runs nothing', async () => {
        // Prepare
        const original = signed({ path: operationPath('invokeProbe'), body: bodyOf('relay-attack/replay', {}) });
        const first = await sender.send(HYBRID_CONNECTION, original);
        expect(replyJson(first.body).ok).toBe(true);

        // Act and Assess
        await expectRefusedEndToEnd(() => sender.send(HYBRID_CONNECTION, original), 'replayed_nonce');
    });
});
