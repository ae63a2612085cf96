import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
    NonceCache,
    NONCE_RETENTION_MS,
    requestStringToSign,
    SIGNATURE_HEADERS,
    signReply,
    signRequest,
    verifyReplySignature,
    verifyRequestSignature,
} from '../../lib/protocol';
import { OTHER_SECRET, SHARED_SECRET } from './support/signed-requests';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const body = Buffer.from('{"operationId":"op-1","params":{}}');

describe('request signing', () => {
    it('signs method, path, timestamp, nonce and the body hash, one per line', () => {
        // Act
        const text = requestStringToSign('post', '/ops/inventory', '1767603600', 'abcdefghijklmnopqrstuv', body);

        // Assess
        expect(text.split('\n')).toEqual([
            'PPO1-HMAC-SHA256',
            'POST',
            '/ops/inventory',
            '1767603600',
            'abcdefghijklmnopqrstuv',
            createHash('sha256').update(body).digest('hex'),
        ]);
    });

    it('verifies what it signed', () => {
        // Prepare
        const headers = signRequest({ method: 'POST', path: '/ops/inventory', body }, SHARED_SECRET, { nowMs: NOW });

        // Act
        const verdict = verifyRequestSignature({ method: 'POST', path: '/ops/inventory', body, headers }, SHARED_SECRET, { nowMs: NOW, nonces: new NonceCache(NONCE_RETENTION_MS) });

        // Assess
        expect(verdict).toEqual({ ok: true, nonce: headers[SIGNATURE_HEADERS.nonce] });
        expect(Object.keys(headers).sort()).toEqual(['x-ppo-nonce', 'x-ppo-signature', 'x-ppo-timestamp']);
    });

    it.each([
        ['the method', { method: 'PUT' }],
        ['the path', { path: '/ops/invokeProbe' }],
        ['the body', { body: Buffer.from('{"operationId":"op-2","params":{}}') }],
    ])('refuses a request whose %s changed', (_label, change) => {
        // Prepare
        const headers = signRequest({ method: 'POST', path: '/ops/inventory', body }, SHARED_SECRET, { nowMs: NOW });

        // Act
        const verdict = verifyRequestSignature({ method: 'POST', path: '/ops/inventory', body, headers, ...change }, SHARED_SECRET, { nowMs: NOW, nonces: new NonceCache(NONCE_RETENTION_MS) });

        // Assess
        expect(verdict).toMatchObject({ ok: false, code: 'bad_signature' });
    });

    it('forgets nonces only after their timestamps can no longer pass', () => {
        // Prepare
        const nonces = new NonceCache(NONCE_RETENTION_MS);
        nonces.remember('nonce-aaaaaaaaaaaaaaaa', NOW);

        // Act
        const withinWindow = nonces.remember('nonce-aaaaaaaaaaaaaaaa', NOW + 600_000);
        const afterRetention = nonces.remember('nonce-aaaaaaaaaaaaaaaa', NOW + NONCE_RETENTION_MS + 1);

        // Assess
        expect(withinWindow).toBe(false);
        expect(afterRetention).toBe(true);
    });
});

describe('reply signing', () => {
    it('binds the reply to the request nonce, its status and body', () => {
        // Prepare
        const signature = signReply('nonce-aaaaaaaaaaaaaaaa', 200, body, SHARED_SECRET);

        // Act
        const checks = [
            verifyReplySignature('nonce-aaaaaaaaaaaaaaaa', 200, body, signature, SHARED_SECRET),
            verifyReplySignature('nonce-bbbbbbbbbbbbbbbb', 200, body, signature, SHARED_SECRET),
            verifyReplySignature('nonce-aaaaaaaaaaaaaaaa', 500, body, signature, SHARED_SECRET),
            verifyReplySignature('nonce-aaaaaaaaaaaaaaaa', 200, Buffer.from('{}'), signature, SHARED_SECRET),
            verifyReplySignature('nonce-aaaaaaaaaaaaaaaa', 200, body, signature, OTHER_SECRET),
            verifyReplySignature('nonce-aaaaaaaaaaaaaaaa', 200, body, undefined, SHARED_SECRET),
        ];

        // Assess
        expect(checks).toEqual([true, false, false, false, false, false]);
    });
});
