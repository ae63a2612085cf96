import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../agent/audit/audit-log';
import { createAgentRequestHandler } from '../../agent/handler/request-handler';
import { OperationStore } from '../../agent/store/operation-store';
import { VirtualClock } from '../../local/clock';
import { MAX_REQUEST_BODY_BYTES, sealPrivateKey } from '../../lib/protocol';
import { ScriptedShell } from './support/scripted-shell';
import { bodyOf, replyJson, SHARED_SECRET, signedRequest } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';

const newFolder = useTempFolders();

async function agent() {
    const clock = new VirtualClock();
    const shell = new ScriptedShell();
    const audit = new MemoryAuditLog();
    const store = await OperationStore.open(await newFolder(), { now: () => clock.now() });
    const handler = createAgentRequestHandler({ sharedSecret: SHARED_SECRET, shell, store, audit, now: () => clock.now() });
    return { clock, shell, audit, handler };
}

describe('request size', () => {
    it('accepts a 900 kB request and hands its sealed key to the shell intact', async () => {
        // Prepare
        const { clock, shell, handler } = await agent();
        const pfx = randomBytes(507_000);
        const params = { thumbprint: 'AB'.repeat(20), source: { kind: 'sealedPfx', sealed: sealPrivateKey({ pfx, password: 'pw-900k' }, SHARED_SECRET) } };
        const body = bodyOf('run-1/install', params);

        // Act
        const response = await handler(signedRequest({ nowMs: clock.now(), operation: 'installCertificate', body }));

        // Assess
        expect(body.length).toBeGreaterThan(900_000);
        expect(body.length).toBeLessThan(MAX_REQUEST_BODY_BYTES);
        expect(response.status).toBe(200);
        expect(replyJson(response.body).ok).toBe(true);
        const received = shell.calls[0]?.argument as { source: { kind: string; pfx: Buffer; password: string } };
        expect(received.source.kind).toBe('pfx');
        expect(received.source.pfx.equals(pfx)).toBe(true);
        expect(received.source.password).toBe('pw-900k');
    });

    it('answers a 2 MB request 413 without reading it further', async () => {
        // Prepare
        const { clock, shell, audit, handler } = await agent();
        const body = Buffer.alloc(2 * 1024 * 1024, 0x41);

        // Act
        const response = await handler(signedRequest({ nowMs: clock.now(), operation: 'installCertificate', body }));

        // Assess
        expect(response.status).toBe(413);
        expect(replyJson(response.body).error?.code).toBe('body_too_large');
        expect(audit.entries).toEqual([expect.objectContaining({ code: 'body_too_large', verdict: 'rejected', outcome: 'not_run' })]);
        expect(shell.calls).toEqual([]);
    });

    it('accepts exactly 1 MiB and refuses one byte more', async () => {
        // Prepare
        const { clock, handler } = await agent();
        const atLimit = Buffer.alloc(MAX_REQUEST_BODY_BYTES, 0x20);
        atLimit.write('{"operationId":"run-1/inv","params":{}}');

        // Act
        const accepted = await handler(signedRequest({ nowMs: clock.now(), body: atLimit }));
        const refused = await handler(signedRequest({ nowMs: clock.now(), body: Buffer.concat([atLimit, Buffer.from(' ')]) }));

        // Assess
        expect(accepted.status).toBe(200);
        expect(refused.status).toBe(413);
    });
});
