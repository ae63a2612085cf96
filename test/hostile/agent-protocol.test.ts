import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../agent/audit/audit-log';
import { type AgentRequestHandler, createAgentRequestHandler } from '../../agent/handler/request-handler';
import type { RelayedRequest, RelayedResponse } from '../../agent/relay/types';
import { OperationStore } from '../../agent/store/operation-store';
import { type AgentErrorCode, agentErrorSpec, MAX_REQUEST_BODY_BYTES, operationPath, SIGNATURE_HEADERS, signRequest } from '../../lib/protocol';
import { OTHER_SECRET, replyJson, SHARED_SECRET } from '../agent/support/signed-requests';
import { createWorld, type TestWorld } from '../agent/support/world';
import { foreignPath, invalidCall, type OperationCall, otherMethod, validCall } from './support/agent-arbitraries';
import { propertyRuns } from './support/property-runs';
import { RecordingShell } from './support/recording-shell';

const MUTATION_SEED = 0xa6e7;
const FOREIGN_PATH_SEED = 0x0b5;
const OTHER_METHOD_SEED = 0x3e7;
const INVALID_PARAMS_SEED = 0xbad;
const MALFORMED_BODY_SEED = 0x7e1;
const VALID_SEED = 0x600d;

const SIGNATURE_HEADER_NAMES = [SIGNATURE_HEADERS.timestamp, SIGNATURE_HEADERS.nonce, SIGNATURE_HEADERS.signature] as const;

type Mutation =
    | { readonly kind: 'flipByte'; readonly at: number; readonly xor: number }
    | { readonly kind: 'dropHeader'; readonly header: string }
    | { readonly kind: 'setHeader'; readonly header: string; readonly value: string }
    | { readonly kind: 'shiftTimestamp'; readonly ms: number }
    | { readonly kind: 'otherPath'; readonly path: string }
    | { readonly kind: 'otherMethod'; readonly method: string }
    | { readonly kind: 'otherSecret' }
    | { readonly kind: 'oversized'; readonly extra: number }
    | { readonly kind: 'replay' }
    | { readonly kind: 'nonceReused' };

function mutation(): fc.Arbitrary<Mutation> {
    const header = fc.constantFrom(...SIGNATURE_HEADER_NAMES);
    return fc.oneof(
        fc.record({ kind: fc.constant('flipByte' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ kind: fc.constant('dropHeader' as const), header }),
        fc.record({ kind: fc.constant('setHeader' as const), header, value: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/), fc.base64String({ minLength: 44, maxLength: 44 })) }),
        fc.record({ kind: fc.constant('shiftTimestamp' as const), ms: fc.oneof(fc.integer({ min: 301_000, max: 10_000_000_000 }), fc.integer({ min: -10_000_000_000, max: -301_000 })) }),
        fc.record({ kind: fc.constant('otherPath' as const), path: fc.oneof(foreignPath(), fc.constantFrom(...['inventory', 'invokeProbe', 'setAuthConfig'].map((name) => `/ops/${name}`))) }),
        fc.record({ kind: fc.constant('otherMethod' as const), method: otherMethod() }),
        fc.constant({ kind: 'otherSecret' as const }),
        fc.record({ kind: fc.constant('oversized' as const), extra: fc.integer({ min: 1, max: 1024 * 1024 }) }),
        fc.constant({ kind: 'replay' as const }),
        fc.constant({ kind: 'nonceReused' as const }),
    );
}

/** The code the agent must answer a mutated request with. */
function expectedCode(mutated: Mutation): AgentErrorCode {
    switch (mutated.kind) {
        case 'dropHeader':
            return 'unsigned';
        case 'shiftTimestamp':
            return 'clock_skew';
        case 'oversized':
            return 'body_too_large';
        case 'replay':
        case 'nonceReused':
            return 'replayed_nonce';
        default:
            return 'bad_signature';
    }
}

/**
 * The agent's request handler, driven directly (no relay) with requests signed as the cloud side
 * signs them, then damaged. Its shell records every call before handing it to the simulated
 * Exchange organization.
 */
describe('hostile requests to the agent request handler', () => {
    let world: TestWorld;
    let shell: RecordingShell;
    let audit: MemoryAuditLog;
    let handler: AgentRequestHandler;
    let folder: string;
    let sequence = 0;

    beforeAll(async () => {
        world = createWorld();
        shell = new RecordingShell(world.exchange);
        audit = new MemoryAuditLog();
        folder = await mkdtemp(join(tmpdir(), 'ppo-hostile-agent-'));
        const store = await OperationStore.open(folder, { now: () => world.clock.now() });
        handler = createAgentRequestHandler({ sharedSecret: SHARED_SECRET, shell, store, audit, now: () => world.clock.now() });
    });

    afterAll(async () => {
        await handler.whenIdle();
        await rm(folder, { recursive: true, force: true });
    });

    /** A fresh nonce and operation id per request, outside the generated values, so shrinking replays nothing by accident. */
    function fresh(): { nonce: string; operationId: string } {
        sequence += 1;
        return { nonce: `hostile-nonce-${String(sequence).padStart(10, '0')}`, operationId: `hostile/${sequence}` };
    }

    function envelope(operationId: string, params: unknown): Buffer {
        return Buffer.from(JSON.stringify({ operationId, params }), 'utf8');
    }

    function signed(options: { method?: string; path: string; body: Buffer; nowMs?: number; nonce?: string; secret?: string }): RelayedRequest {
        const method = options.method ?? 'POST';
        const headers = signRequest({ method, path: options.path, body: options.body }, options.secret ?? SHARED_SECRET, {
            nowMs: options.nowMs ?? world.clock.now(),
            nonce: options.nonce ?? fresh().nonce,
        });
        return { method, path: options.path, headers: { 'content-type': 'application/json', ...headers }, body: options.body };
    }

    function validRequest(call: OperationCall): RelayedRequest {
        const { nonce, operationId } = fresh();
        return signed({ path: operationPath(call.operation), body: envelope(operationId, call.params), nonce });
    }

    /** Sends `request` and asserts the refusal: status and code, one audit line, no shell call, no cmdlet. */
    async function expectRefused(request: RelayedRequest, code: AgentErrorCode): Promise<RelayedResponse> {
        const auditBefore = audit.entries.length;
        const callsBefore = shell.calls.length;
        const commandsBefore = world.exchange.commandLog().length;

        const response = await handler(request);
        await handler.whenIdle();

        const status = agentErrorSpec(code).status;
        const reply = replyJson(response.body);
        expect({ status: response.status, code: reply.error?.code }).toEqual({ status, code });
        expect(reply).toEqual({ ok: false, error: { code, message: expect.stringMatching(/\S/) as string, transient: false } });
        expect(audit.entries.slice(auditBefore)).toEqual([expect.objectContaining({ verdict: 'rejected', outcome: 'not_run', code, status })]);
        expect(shell.calls.slice(callsBefore)).toEqual([]);
        expect(world.exchange.commandLog().length).toBe(commandsBefore);
        return response;
    }

    function mutate(base: RelayedRequest, call: OperationCall, change: Mutation): RelayedRequest {
        switch (change.kind) {
            case 'flipByte': {
                const body = Buffer.from(base.body);
                const at = change.at % body.length;
                body[at] = (body[at] ?? 0) ^ change.xor;
                return { ...base, body };
            }
            case 'dropHeader':
                return { ...base, headers: Object.fromEntries(Object.entries(base.headers).filter(([name]) => name !== change.header)) };
            case 'setHeader':
                return { ...base, headers: { ...base.headers, [change.header]: change.value } };
            case 'shiftTimestamp':
                return signed({ path: base.path, body: base.body, nowMs: world.clock.now() + change.ms });
            case 'otherPath':
                return { ...base, path: change.path };
            case 'otherMethod':
                return { ...base, method: change.method };
            case 'otherSecret':
                return signed({ path: base.path, body: base.body, secret: OTHER_SECRET });
            case 'oversized': {
                const body = Buffer.concat([base.body, Buffer.alloc(MAX_REQUEST_BODY_BYTES - base.body.length + change.extra, 0x20)]);
                return signed({ path: base.path, body });
            }
            case 'replay':
                return { ...base, body: Buffer.from(base.body) };
            case 'nonceReused':
                return signed({ path: operationPath(call.operation), body: envelope(fresh().operationId, call.params), nonce: base.headers[SIGNATURE_HEADERS.nonce] ?? '' });
        }
    }

    it('refuses every damaged, stale, replayed or oversized copy of a validly signed request, audits it and runs nothing', async () => {
        // Prepare
        const arbitraries = fc.tuple(validCall(), mutation());

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(arbitraries, async ([call, change]) => {
                const base = validRequest(call);
                fc.pre(!(change.kind === 'setHeader' && base.headers[change.header] === change.value));
                fc.pre(!(change.kind === 'otherPath' && change.path === base.path));
                if (change.kind === 'replay' || change.kind === 'nonceReused') await handler(base);
                await expectRefused(mutate(base, call, change), expectedCode(change));
            }),
            propertyRuns(MUTATION_SEED, 300),
        );
    });

    it('refuses a validly signed request to any path but an allowlisted operation as unknown_operation, audits it and runs nothing', async () => {
        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(foreignPath(), validCall(), async (path, call) => {
                const request = signed({ path, body: envelope(fresh().operationId, call.params) });
                await expectRefused(request, 'unknown_operation');
            }),
            propertyRuns(FOREIGN_PATH_SEED, 300),
        );
    });

    it('refuses a validly signed request with any method but POST as method_not_allowed, audits it and runs nothing', async () => {
        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(otherMethod(), fc.oneof(validCall().map((call) => operationPath(call.operation)), foreignPath()), validCall(), async (method, path, call) => {
                const request = signed({ method, path, body: envelope(fresh().operationId, call.params) });
                await expectRefused(request, 'method_not_allowed');
            }),
            propertyRuns(OTHER_METHOD_SEED, 150),
        );
    });

    it('refuses validly signed parameters that break one rule of their operation as invalid_params, audits them and runs nothing', async () => {
        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(invalidCall(), async (call) => {
                const response = await expectRefused(validRequest(call), 'invalid_params');
                expect(replyJson(response.body).error?.message).toContain(`Invalid ${call.operation} parameters`);
            }),
            propertyRuns(INVALID_PARAMS_SEED, 300),
        );
    });

    it('refuses a validly signed body that is not {operationId, params} as malformed_request, audits it and runs nothing', async () => {
        // Prepare
        const notAnEnvelope = fc.oneof(
            fc.uint8Array({ minLength: 0, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
            fc.jsonValue({ maxDepth: 3 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => Buffer.from(JSON.stringify(value))),
            fc.constantFrom('{', '{"operationId":"a"', "{'operationId':'a'}", '{"operationId":"a","params":{},"extra":1}', '{"params":{}}', '{"operationId":""}', '{"operationId":" a"}', '{"operationId":".."}', '{"operationId":"../../x"}', `{"operationId":"${'a'.repeat(201)}"}`, '{"operationId":"a b"}', '{"operationId":"a\\u0000"}', '{"operationId":"ａ"}', '{"operationId":1}', '{"operationId":null}').map((text) => Buffer.from(text)),
        );
        /** The documented envelope: exactly operationId (1-200 of letters, digits, . _ : @ / -, starting alphanumeric) and params. */
        const isEnvelope = (body: Buffer): boolean => {
            try {
                const value: unknown = JSON.parse(body.toString('utf8'));
                if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
                const { operationId, ...rest } = value as Record<string, unknown>;
                return typeof operationId === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/.test(operationId) && Object.keys(rest).join() === 'params';
            } catch {
                return false;
            }
        };

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(notAnEnvelope, fc.constantFrom(...['inventory', 'invokeProbe', 'setAuthConfig'] as const), async (body, operation) => {
                fc.pre(!isEnvelope(body));
                await expectRefused(signed({ path: operationPath(operation), body }), 'malformed_request');
            }),
            propertyRuns(MALFORMED_BODY_SEED, 150),
        );
    });

    // Issue 15, finding 3: the shared secret alone could point Exchange's OAuth trust at an attacker.
    it.each([
        { attack: 'an AuthServer of another name', operation: 'ensureAuthServer', params: { name: 'EvilSts', authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' } },
        { attack: 'user info that moves the host', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net@attacker.example/x' } },
        { attack: 'another metadata host', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://attacker.example/metadata/json/1/?realm=contoso.com' } },
        { attack: 'a look-alike ACS host', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net.attacker.example/metadata/json/1/?realm=contoso.com' } },
        { attack: 'a port', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net:8443/metadata/json/1/?realm=contoso.com' } },
        { attack: 'another path', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net/x/metadata/json/1/?realm=contoso.com' } },
        { attack: 'a second query parameter', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?x=https://attacker.example&realm=contoso.com' } },
    ] as const)('refuses a validly signed ensureAuthServer with $attack as invalid_params and runs nothing', async ({ operation, params }) => {
        // Act and Assess
        const response = await expectRefused(validRequest({ operation, params }), 'invalid_params');
        expect(replyJson(response.body).error?.message).toContain(`Invalid ${operation} parameters`);
    });

    it.each([
        { attack: "an AuthServer realm outside the organization's domains", operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=fabrikam.com' } },
        { attack: 'an onmicrosoft realm of another tenant', operation: 'ensureAuthServer', params: { authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=attacker.onmicrosoft.com' } },
        { attack: "a push proxy for another organization's domain", operation: 'enablePushProxy', params: { organization: 'fabrikam.com', uri: 'https://outlook.office365.com/PushNotifications' } },
    ] as const)('refuses a validly signed request with $attack as untrusted_value after reading only the accepted domains', async ({ operation, params }) => {
        // Prepare
        const auditBefore = audit.entries.length;
        const callsBefore = shell.calls.length;
        const commandsBefore = world.exchange.commandLog().length;

        // Act
        const response = await handler(validRequest({ operation, params }));
        await handler.whenIdle();

        // Assess
        expect({ status: response.status, code: replyJson(response.body).error?.code }).toEqual({ status: 403, code: 'untrusted_value' });
        expect(shell.calls.slice(callsBefore)).toEqual(['inventory']);
        expect(world.exchange.commandLog().slice(commandsBefore).map((c) => c.cmdlet).filter((cmdlet) => !cmdlet.startsWith('Get-'))).toEqual([]);
        expect(audit.entries.slice(auditBefore)).toEqual([expect.objectContaining({ operation, code: 'untrusted_value' })]);
    });

    it('accepts a validly signed request with valid parameters and hands it to the shell: the refusals above are not vacuous', async () => {
        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(validCall(), async (call) => {
                const auditBefore = audit.entries.length;
                const callsBefore = shell.calls.length;

                const response = await handler(validRequest(call));
                await handler.whenIdle();

                // These two first read the organization's accepted domains (agent/operations/organization-domains.ts).
                const reads = call.operation === 'ensureAuthServer' || call.operation === 'enablePushProxy' ? ['inventory'] : [];
                expect({ calls: shell.calls.slice(callsBefore), reply: replyJson(response.body).error?.code ?? 'ok' }).toEqual({ calls: [...reads, call.operation], reply: expect.any(String) as string });
                expect(audit.entries.slice(auditBefore)).toEqual([expect.objectContaining({ verdict: 'accepted', operation: call.operation })]);
                expect([200, 422]).toContain(response.status);
            }),
            propertyRuns(VALID_SEED, 150),
        );
    });
});
