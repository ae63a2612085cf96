import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServerTlsMaterial {
    /** PEM of the CA that clients must trust (through their own options, never globally). */
    readonly caPem: string;
    readonly certPem: string;
    readonly keyPem: string;
}

interface KeyPair {
    readonly forgeKey: forge.pki.rsa.PrivateKey;
    readonly pem: string;
}

function newKeyPair(): KeyPair {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { forgeKey: forge.pki.privateKeyFromPem(pem), pem };
}

function baseCertificate(subjectKey: forge.pki.rsa.PrivateKey, commonName: string, days: number): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(subjectKey.n, subjectKey.e);
    cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
    const now = Date.now();
    cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
    cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
    cert.setSubject([{ name: 'commonName', value: commonName }]);
    return cert;
}

/**
 * A certificate authority made at start-up for the local stand-ins, so that the real SDK clients
 * talk TLS to them and verify it. Lives only in memory.
 */
export class TestCertificateAuthority {
    private readonly key = newKeyPair();
    private readonly cert: forge.pki.Certificate;
    readonly caPem: string;

    constructor(name = 'push-proxy-orchestrator local CA') {
        this.cert = baseCertificate(this.key.forgeKey, name, 30);
        this.cert.setIssuer(this.cert.subject.attributes);
        this.cert.setExtensions([
            { name: 'basicConstraints', cA: true, critical: true },
            { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]);
        this.cert.sign(this.key.forgeKey, forge.md.sha256.create());
        this.caPem = forge.pki.certificateToPem(this.cert);
    }

    /** A server certificate for the given DNS names and IP addresses (default: localhost and 127.0.0.1). */
    issueServerCertificate(dnsNames: readonly string[] = ['localhost'], ipAddresses: readonly string[] = ['127.0.0.1']): ServerTlsMaterial {
        const leafKey = newKeyPair();
        const cert = baseCertificate(leafKey.forgeKey, dnsNames[0] ?? ipAddresses[0] ?? 'localhost', 7);
        cert.setIssuer(this.cert.subject.attributes);
        cert.setExtensions([
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
            { name: 'extKeyUsage', serverAuth: true },
            { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ipAddresses.map((ip) => ({ type: 7, ip }))] },
        ]);
        cert.sign(this.key.forgeKey, forge.md.sha256.create());
        return { caPem: this.caPem, certPem: forge.pki.certificateToPem(cert), keyPem: leafKey.pem };
    }
}
