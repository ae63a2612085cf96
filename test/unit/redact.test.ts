import { describe, expect, it } from 'vitest';
import { Logger, MemoryLogSink } from '../../lib/logger';
import { REDACTED, redact } from '../../lib/redact';

describe('redact', () => {
    it.each([
        ['a private key field', { privateKey: 'abc' }, { privateKey: REDACTED }],
        ['a pfx password', { pfxPassword: 'p@ss' }, { pfxPassword: REDACTED }],
        ['a shared secret nested in an array', { agents: [{ sharedSecret: 's' }] }, { agents: [{ sharedSecret: REDACTED }] }],
        ['a bearer token inside text', { detail: 'sent Bearer eyJabc.def.ghi' }, { detail: `sent ${REDACTED}` }],
        ['a SAS token inside text', { h: 'SharedAccessSignature sr=x&sig=y&se=1&skn=Send' }, { h: REDACTED }],
        ['a connection string key', { c: 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=zzz' }, { c: `Endpoint=sb://x/;SharedAccessKeyName=a;${REDACTED}` }],
        ['a thumbprint, which is public', { thumbprint: 'ABCDEF' }, { thumbprint: 'ABCDEF' }],
    ])('removes %s', (_label, input, expected) => {
        // Act
        const output = redact(input);

        // Assess
        expect(output).toEqual(expected);
    });

    it('redacts PEM private keys wherever they appear in text', () => {
        // Prepare
        const pem = '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----';

        // Act
        const output = redact(`key was ${pem} here`);

        // Assess
        expect(output).toBe(`key was ${REDACTED} here`);
    });
});

describe('Logger', () => {
    it('writes structured records with child fields and never a secret', () => {
        // Prepare
        const memory = new MemoryLogSink();
        const logger = new Logger({ component: 'test' }, memory.sink).child({ instanceId: 'i-1' });

        // Act
        logger.info('sealed', { sharedSecret: 'do-not-log', operation: 'installCertificate' });

        // Assess
        expect(memory.records).toHaveLength(1);
        expect(memory.records[0]).toMatchObject({ level: 'info', message: 'sealed', component: 'test', instanceId: 'i-1', operation: 'installCertificate', sharedSecret: REDACTED });
        expect(JSON.stringify(memory.records)).not.toContain('do-not-log');
    });
});
