import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_LOG_FILE, openAgentRequestHandler } from '../../agent/open-agent-handler';
import { Logger, MemoryLogSink } from '../../lib/logger';
import { sealPrivateKey } from '../../lib/protocol';
import { buildTripleDesPfx } from '../../local/exchange';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';
import { OTHER_SECRET, SHARED_SECRET, signedRequest } from './support/signed-requests';
import { useTempFolders } from './support/temp-folder';
import { createWorld } from './support/world';

const newFolder = useTempFolders();

describe('audit log', () => {
    it('writes one JSON line per request with fixed fields and never a secret', async () => {
        // Prepare
        const folder = await newFolder();
        const world = createWorld();
        const logs = new MemoryLogSink();
        const handler = await openAgentRequestHandler({ dataFolder: folder, sharedSecret: SHARED_SECRET, shell: world.exchange, now: () => world.clock.now(), logger: new Logger({}, logs.sink, 'debug') });
        const certificate = generateSelfSignedCertificate({ subject: 'Exchange S2S OAuth', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') });
        const password = 'Pfx-Password-That-Must-Not-Leak-42';
        const pfx = buildTripleDesPfx(certificate.certificatePem, certificate.privateKeyPem, password);
        const sealed = sealPrivateKey({ pfx, password }, SHARED_SECRET);
        const wrongPassword = sealPrivateKey({ pfx, password: 'Wrong-Password-Also-Secret-17' }, SHARED_SECRET);
        const now = world.clock.now();
        const requests = [
            signedRequest({ nowMs: now, operation: 'installCertificate', operationId: 'run-1/install', params: { thumbprint: certificate.thumbprint, source: { kind: 'sealedPfx', sealed } } }),
            signedRequest({ nowMs: now, operation: 'installCertificate', operationId: 'run-1/install-bad', params: { thumbprint: certificate.thumbprint, source: { kind: 'sealedPfx', sealed: wrongPassword } } }),
            signedRequest({ nowMs: now, operation: 'installCertificate', operationId: 'run-1/install-x', secret: OTHER_SECRET, params: { thumbprint: certificate.thumbprint, source: { kind: 'sealedPfx', sealed } } }),
            signedRequest({ nowMs: now, operation: 'installCertificate', operationId: 'run-1/install-y', params: { thumbprint: 'zz', source: { kind: 'sealedPfx', sealed } } }),
            signedRequest({ nowMs: now, operation: 'inventory', operationId: 'run-1/inventory' }),
        ];

        // Act
        const statuses: number[] = [];
        for (const request of requests) statuses.push((await handler(request)).status);
        await handler.whenIdle();

        // Assess
        const text = await readFile(join(folder, AUDIT_LOG_FILE), 'utf8');
        const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(statuses).toEqual([200, 422, 401, 400, 200]);
        expect(lines.map((line) => [line.operationId, line.operation, line.verdict, line.outcome, line.code])).toEqual([
            ['run-1/install', 'installCertificate', 'accepted', 'succeeded', null],
            ['run-1/install-bad', 'installCertificate', 'accepted', 'failed', 'exchange_failed'],
            [null, null, 'rejected', 'not_run', 'bad_signature'],
            ['run-1/install-y', 'installCertificate', 'rejected', 'not_run', 'invalid_params'],
            ['run-1/inventory', 'inventory', 'accepted', 'succeeded', null],
        ]);
        for (const line of lines) expect(Object.keys(line).sort()).toEqual(['code', 'durationMs', 'operation', 'operationId', 'outcome', 'status', 'time', 'verdict']);
        const secrets = [SHARED_SECRET, OTHER_SECRET, password, 'Wrong-Password-Also-Secret-17', pfx.toString('base64').slice(0, 32), sealed.ciphertext.slice(0, 32), certificate.privateKeyPem.split('\n')[1]!];
        const logText = JSON.stringify(logs.records);
        for (const secret of secrets) {
            expect(text).not.toContain(secret);
            expect(logText).not.toContain(secret);
        }
    });
});
