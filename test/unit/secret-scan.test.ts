import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealPrivateKey } from '../../lib/protocol';
import { createSasToken } from '../../lib/relay/sas-token';
import { AZURITE_ACCOUNT } from '../../local/azurite';
import { buildTripleDesPfx } from '../../local/exchange/pkcs12';
import { signRs256 } from '../../local/identity/jwt';
import { issueSelfSigned, readRequestedPolicy } from '../../local/keyvault/issued-certificate';
import { generateSelfSignedCertificate } from '../../local/scenario/generate-certificate';
import { scanForSecrets, type KnownSecret, type SecretKind } from '../support/secret-scan/secret-scan';

// Prepare (shared): real key material of every kind, made fresh for this file.
const certificate = generateSelfSignedCertificate({ subject: 'CN=scan-sample', dnsNames: ['corp.contoso.com'], notBefore: new Date('2025-01-01'), notAfter: new Date('2027-01-01') });
const rsaKey = createPrivateKey(certificate.privateKeyPem);
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const pkcs8Der = rsaKey.export({ type: 'pkcs8', format: 'der' });
const pkcs1Der = rsaKey.export({ type: 'pkcs1', format: 'der' });
const sec1Der = ecKey.export({ type: 'sec1', format: 'der' });
const encryptedDer = rsaKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'correct horse' });
const pfxPassword = randomBytes(18).toString('base64');
const pfx = buildTripleDesPfx(certificate.certificatePem, certificate.privateKeyPem, pfxPassword);
const vaultIssued = issueSelfSigned(readRequestedPolicy({ x509_props: { subject: 'CN=vault', validity_months: 12 } }), 'v1', Date.parse('2026-01-01'));
const vaultPfx = vaultIssued.pfxBase64;
const sharedSecret = randomBytes(32).toString('base64');
const sealed = sealPrivateKey({ pfx, password: pfxPassword }, sharedSecret);
const jwt = signRs256(
    { aud: 'https://graph.microsoft.com', iss: 'https://sts.windows.net/t/', iat: 1, nbf: 1, exp: 2, tid: 't', appid: 'a', oid: 'o', sub: 'o', idtyp: 'app', ver: '1.0' },
    rsaKey,
    'kid-1',
);
const sasToken = createSasToken({ resourceUri: 'http://contoso.servicebus.windows.net/hc', keyName: 'send', key: sharedSecret, ttlSeconds: 60 });
const known: readonly KnownSecret[] = [
    { kind: 'sharedSecret', label: 'agent shared secret', value: sharedSecret },
    { kind: 'pfx', label: 'PFX the vault issued', value: vaultPfx },
];

const json = (value: unknown): string => JSON.stringify(value);

describe('the secret scan', () => {
    it.each<[string, string, SecretKind, RegExp]>([
        ['a PEM PKCS#8 private key in a log line', json({ message: `key: ${certificate.privateKeyPem}` }), 'privateKey', /PEM PRIVATE KEY/],
        ['a PEM PKCS#1 private key', rsaKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'privateKey', /PEM RSA PRIVATE KEY/],
        ['PKCS#8 DER in base64', json({ value: pkcs8Der.toString('base64') }), 'privateKey', /base64 DER pkcs8PrivateKey/],
        ['PKCS#8 DER in base64url', `x=${pkcs8Der.toString('base64url')}`, 'privateKey', /pkcs8PrivateKey/],
        ['PKCS#8 DER in the middle of a base64 run', `AAAA${pkcs8Der.toString('base64')}`, 'privateKey', /pkcs8PrivateKey/],
        ['PKCS#1 DER in base64', pkcs1Der.toString('base64'), 'privateKey', /pkcs1RsaPrivateKey/],
        ['SEC1 EC DER in base64', sec1Der.toString('base64'), 'privateKey', /sec1EcPrivateKey/],
        ['an encrypted PKCS#8 key', encryptedDer.toString('base64'), 'privateKey', /pkcs8EncryptedPrivateKey/],
        ['a private key in hex', pkcs8Der.toString('hex'), 'privateKey', /hex DER pkcs8PrivateKey/],
        ['a 3DES PFX in base64', `result ${pfx.toString('base64')}`, 'pfx', /base64 DER pkcs12Pfx/],
        ['a PFX without password, as Key Vault keeps it', json({ Result: vaultPfx }), 'pfx', /pkcs12Pfx/],
        ['a PFX password property', json({ source: { kind: 'pfx', password: pfxPassword } }), 'pfxPassword', /property "password"/],
        ['a password under another name', json({ exportPassword: 'hunter2hunter2' }), 'pfxPassword', /property "exportPassword"/],
        ['a password inside a history input (JSON in a string)', json({ Input: json({ request: { pfxPassword: pfxPassword } }) }), 'pfxPassword', /property "pfxPassword"/],
        ['a sealed PFX envelope', json({ source: { kind: 'pfx', sealed } }), 'sealedPrivateKey', /sealed PFX \(opens with the agent shared secret\)/],
        ['a sealed PFX envelope under an innocent name', json({ blob: sealed }), 'sealedPrivateKey', /sealed PFX/],
        ['a JWT access token', json({ headers: { auth: jwt } }), 'bearerToken', /JWT/],
        ['an opaque bearer credential', 'Authorization: Bearer 0123456789abcdefABCDEF.xyz', 'bearerToken', /Bearer credential/],
        ['a relay SAS token', json({ ServiceBusAuthorization: sasToken }), 'sasToken', /SAS token signature/],
        ['a SAS token in a URL', 'wss://ns/$hc/hc?sb-hc-action=listen&sb-hc-token=SharedAccessSignature%20sr%3Dx%26sig%3Dabcdefghijklmnopqrst', 'sasToken', /SAS token/],
        ['a shared access key in a connection string', 'Endpoint=sb://x/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0', 'sasKey', /connection string/],
        ['the shared secret by value', `agent configured with ${sharedSecret}`, 'sharedSecret', /the agent shared secret$/],
        ['the shared secret URL-encoded', `?s=${encodeURIComponent(sharedSecret)}`, 'sharedSecret', /encoded or in part/],
        ['a truncated dump of the issued PFX', `pfx starts ${vaultPfx.slice(0, 80)}...`, 'pfx', /the PFX the vault issued \(encoded or in part\)/],
    ])('finds %s', (_name, text, kind, how) => {
        // Act
        const findings = scanForSecrets([{ source: 'sample', text }], known);

        // Assess
        expect(findings).toContainEqual(expect.objectContaining({ source: 'sample', kind, how: expect.stringMatching(how) as unknown }));
    });

    it.each<[string, string]>([
        ['a public certificate in base64', json({ derBase64: certificate.derBase64, key: certificate.derBase64 })],
        ['a PEM certificate', certificate.certificatePem],
        ['the public certificate inside a known PFX', json({ derBase64: vaultIssued.der.toString('base64') })],
        ['thumbprints, key ids and hashes', json({ thumbprint: certificate.thumbprint, keyId: '11111111-aaaa-4bbb-8ccc-000000000001', sha256: 'ab'.repeat(32) })],
        ['redacted, empty and flag-like secret properties', json({ password: '[redacted]', pfx: null, sealed: false, passwordProtected: true, sharedSecret: '' })],
        ['a redacted bearer header', 'authorization: Bearer [redacted]'],
        ["Azurite's published development key", `AccountName=${AZURITE_ACCOUNT};AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;`],
        ['a long base64 run that is not DER', Buffer.alloc(400, 7).toString('base64')],
        ['names of secrets without their values', json({ PPO_RELAY_SEND_KEY_SECRET: 'relay-send-key', PPO_AGENT_SECRET_PREFIX: 'agent-secret-' })],
    ])('finds nothing in %s', (_name, text) => {
        // Act
        const findings = scanForSecrets([{ source: 'sample', text }], known);

        // Assess
        expect(findings).toEqual([]);
    });

    it('names the source of each finding and never repeats one', () => {
        // Prepare
        const text = `${sharedSecret} ${sharedSecret}`;

        // Act
        const findings = scanForSecrets(
            [
                { source: 'log', text },
                { source: 'audit', text: 'clean' },
            ],
            known,
        );

        // Assess
        expect(findings.map((f) => [f.source, f.kind])).toEqual([['log', 'sharedSecret']]);
        expect(JSON.stringify(findings)).not.toContain(sharedSecret);
    });
});
