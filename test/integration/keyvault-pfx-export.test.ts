import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbprintOfDer } from '../../lib/certificates/thumbprint';
import { PermanentError } from '../../lib/errors';
import { Logger, MemoryLogSink } from '../../lib/logger';
import { KeyVaultCertificateLifecycle } from '../../lib/keyvault/certificate-lifecycle';
import { KeyVaultPfxExporter, OAUTH_FRIENDLY_NAME } from '../../lib/keyvault/pfx-export';
import type { PublicCertificate } from '../../lib/keyvault/public-certificate';
import { startWorld, type TestWorld } from './helpers/local-world';

const PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';
const PBES2 = '1.2.840.113549.1.5.13';

function openWithForge(pfx: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
    return forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), password);
}

function containsOid(der: Buffer, oid: string): boolean {
    // Both safe contents are plain "data" in this PFX, so the key bag's algorithm OID is visible in the DER.
    const encoded = forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(oid).getBytes())).getBytes();
    return der.includes(Buffer.from(encoded, 'binary'));
}

describe('PFX export for the agent: Key Vault secret re-wrapped with 3DES and a fresh password', () => {
    let world: TestWorld;
    let certificate: PublicCertificate;
    let exporter: KeyVaultPfxExporter;

    beforeAll(async () => {
        world = await startWorld();
        const lifecycle = new KeyVaultCertificateLifecycle(world.access, world.cloud.keyVaultUrl, { retry: world.retry });
        const state = await lifecycle.startCreation({ tenantDomain: 'contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', userDnsDomain: 'corp.contoso.com' });
        if (state.status !== 'completed') throw new Error(`creation did not complete: ${state.status}`);
        certificate = state.certificate;
        exporter = new KeyVaultPfxExporter(world.access, world.cloud.keyVaultUrl, { retry: world.retry });
    });
    afterAll(async () => world.close());

    it('opens with the fresh password in node-forge: the certificate and its matching RSA key, 3DES-protected, named for the article', async () => {
        // Act
        const { pfx, password } = await exporter.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);

        // Assess
        const p12 = openWithForge(pfx, password);
        const [certBag] = p12.getBags({ bagType: forge.pki.oids.certBag ?? '' })[forge.pki.oids.certBag ?? ''] ?? [];
        const [keyBag] = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag ?? '' })[forge.pki.oids.pkcs8ShroudedKeyBag ?? ''] ?? [];
        const leafDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certBag?.cert as forge.pki.Certificate)).getBytes(), 'binary');
        expect(thumbprintOfDer(leafDer)).toBe(certificate.thumbprint);
        expect(keyBag?.key?.n.equals((certBag?.cert?.publicKey as forge.pki.rsa.PublicKey).n)).toBe(true);
        expect(containsOid(pfx, PBE_SHA1_3DES)).toBe(true);
        expect(containsOid(pfx, PBES2)).toBe(false);
        expect(certBag?.attributes).toMatchObject({ friendlyName: [OAUTH_FRIENDLY_NAME] });
    });

    it("loads into Node's TLS with the fresh password", async () => {
        // Act
        const { pfx, password } = await exporter.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);

        // Assess
        expect(() => createSecureContext({ pfx, passphrase: password })).not.toThrow();
    });

    it('opens with no other password, neither in node-forge nor in Node', async () => {
        // Prepare
        const { pfx, password } = await exporter.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);
        const other = `${password.slice(0, -1)}${password.endsWith('A') ? 'B' : 'A'}`;

        // Act
        const withForge = (): unknown => openWithForge(pfx, other);
        const withNode = (): unknown => createSecureContext({ pfx, passphrase: other });
        const withoutPassword = (): unknown => createSecureContext({ pfx });

        // Assess
        expect(withForge).toThrow(/MAC could not be verified/);
        expect(withNode).toThrow(/mac verify failure/i);
        expect(withoutPassword).toThrow();
    });

    it('uses a new password for every export', async () => {
        // Act
        const first = await exporter.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);
        const second = await exporter.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);

        // Assess
        expect(first.password).not.toBe(second.password);
        expect(first.password.length).toBeGreaterThanOrEqual(43);
    });

    it('logs the export without the PFX or its password', async () => {
        // Prepare
        const sink = new MemoryLogSink();
        const logged = new KeyVaultPfxExporter(world.access, world.cloud.keyVaultUrl, { retry: world.retry, logger: new Logger({}, sink.sink, 'debug') });

        // Act
        const { pfx, password } = await logged.exportForAgent(certificate.certificateName, certificate.version, certificate.thumbprint);

        // Assess
        const text = JSON.stringify(sink.records);
        expect(sink.records.map((record) => record.message)).toEqual(['PFX re-wrapped for the agent']);
        expect(text).not.toContain(password);
        expect(text).not.toContain(pfx.toString('base64').slice(0, 64));
    });

    it('refuses to hand over a PFX whose certificate is not the one expected', async () => {
        // Act
        const exported = exporter.exportForAgent(certificate.certificateName, certificate.version, '0'.repeat(40));

        // Assess
        await expect(exported).rejects.toBeInstanceOf(PermanentError);
        await expect(exported).rejects.toMatchObject({ code: 'pfx-unexpected-certificate' });
    });
});
