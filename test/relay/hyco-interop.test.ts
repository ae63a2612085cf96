import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayStandIn } from '../../local/relay/stand-in-types';
import { HYBRID_CONNECTION, LISTEN_RULE, nextEvent, recordEvents, senderFor, startStandIn } from './relay-harness';

/**
 * hyco-https, Microsoft's own Node implementation of the listener protocol, served through our
 * stand-in and reached by our sender: proof that the stand-in speaks the real protocol.
 */
describe('hyco-https listener through the stand-in', () => {
    let standIn: RelayStandIn;
    let child: ChildProcess;
    let caDirectory: string;

    beforeAll(async () => {
        standIn = await startStandIn();
        caDirectory = await mkdtemp(join(tmpdir(), 'relay-ca-'));
        const caFile = join(caDirectory, 'ca.pem');
        await writeFile(caFile, standIn.caPem);
        const connected = nextEvent(standIn, 'listener-connected');
        child = spawn(process.execPath, [join(__dirname, 'fixtures', 'hyco-listener.mjs')], {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, HYCO_NAMESPACE: standIn.namespace, HYCO_PATH: HYBRID_CONNECTION, HYCO_KEY_NAME: LISTEN_RULE.name, HYCO_KEY: LISTEN_RULE.key },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        const exitedEarly = once(child, 'exit').then(() => {
            throw new Error(`the hyco-https listener exited before connecting: ${stderr}`);
        });
        await Promise.race([connected, exitedEarly]);
        exitedEarly.catch(() => undefined);
    });

    afterAll(async () => {
        const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
        child.kill();
        await exited;
        await standIn.stop();
        await rm(caDirectory, { recursive: true, force: true });
    });

    it('serves a small request over the control channel', async () => {
        // Prepare
        const recorder = recordEvents(standIn);

        // Act
        const response = await senderFor(standIn).send(HYBRID_CONNECTION, { path: '/ops/probe', headers: { 'x-probe': 'p-1' }, body: Buffer.from('{"a":1}') });
        recorder.stop();

        // Assess
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body.toString('utf8'))).toEqual({ implementation: 'hyco-https', method: 'POST', url: `/${HYBRID_CONNECTION}/ops/probe`, bytes: 7, probe: 'p-1' });
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ requestChannel: 'control', responseChannel: 'control' })]);
    });

    it('answers over a rendezvous socket when its answer exceeds 64 kB', async () => {
        // Prepare
        const recorder = recordEvents(standIn);

        // Act
        const response = await senderFor(standIn).send(HYBRID_CONNECTION, { path: '/large-response', headers: {}, body: Buffer.from('{}') });
        recorder.stop();

        // Assess
        expect(response.status).toBe(200);
        expect(response.body.equals(Buffer.alloc(300 * 1024, 5))).toBe(true);
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ responseChannel: 'rendezvous', responseBytes: 300 * 1024 })]);
    });

    it('fetches a request over 64 kB from a rendezvous socket', async () => {
        // Prepare
        const recorder = recordEvents(standIn);

        // Act
        const response = await senderFor(standIn).send(HYBRID_CONNECTION, { path: '/ops/upload', headers: {}, body: Buffer.alloc(900 * 1024, 1) });
        recorder.stop();

        // Assess
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ implementation: 'hyco-https', bytes: 900 * 1024 });
        expect(recorder.exchanges()).toEqual([expect.objectContaining({ requestChannel: 'rendezvous', requestBytes: 900 * 1024 })]);
    });
});
