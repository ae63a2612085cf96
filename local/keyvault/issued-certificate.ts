import { createHash, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { generateSelfSignedCertificate } from '../scenario/generate-certificate';

/** The policy fields of a create request that the stand-in acts on (Key Vault's wire names). */
export interface RequestedPolicy {
    readonly subject: string;
    readonly dnsNames: readonly string[];
    readonly keyType: string;
    readonly keySize: number;
    readonly exportable: boolean;
    readonly contentType: string;
    readonly validityMonths: number;
    readonly issuerName: string;
    /** The policy exactly as sent, returned as the certificate's policy. */
    readonly wire: Record<string, unknown>;
}

/** A completed certificate version with its secret (PKCS#12 without password, as Key Vault keeps it). */
export interface IssuedCertificate {
    readonly version: string;
    readonly der: Buffer;
    readonly thumbprint: string;
    readonly notBeforeMs: number;
    readonly notAfterMs: number;
    readonly pfxBase64: string;
    readonly createdMs: number;
}

export function newVersionId(): string {
    return randomBytes(16).toString('hex');
}

function addMonths(ms: number, months: number): number {
    const date = new Date(ms);
    date.setUTCMonth(date.getUTCMonth() + months);
    return date.getTime();
}

/** Issues the self-signed certificate a completed creation yields; RSA keys come from Node's crypto. */
export function issueSelfSigned(policy: RequestedPolicy, version: string, nowMs: number): IssuedCertificate {
    const notBeforeMs = Math.floor(nowMs / 1000) * 1000 - 5 * 60_000;
    const notAfterMs = addMonths(notBeforeMs, policy.validityMonths);
    const generated = generateSelfSignedCertificate({
        subject: policy.subject,
        dnsNames: policy.dnsNames,
        keySize: policy.keySize,
        notBefore: new Date(notBeforeMs),
        notAfter: new Date(notAfterMs),
    });
    const der = Buffer.from(generated.derBase64, 'base64');
    const pkcs12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(generated.privateKeyPem), forge.pki.certificateFromPem(generated.certificatePem), null, {
        generateLocalKeyId: true,
    });
    return {
        version,
        der,
        thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
        notBeforeMs,
        notAfterMs,
        pfxBase64: Buffer.from(forge.asn1.toDer(pkcs12).getBytes(), 'binary').toString('base64'),
        createdMs: nowMs,
    };
}

function record(value: unknown): Record<string, unknown> {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Reads the create request's policy; undefined fields take Key Vault's defaults. */
export function readRequestedPolicy(policy: unknown): RequestedPolicy {
    const wire = record(policy);
    const keyProps = record(wire.key_props);
    const x509 = record(wire.x509_props);
    const sans = record(x509.sans);
    return {
        subject: typeof x509.subject === 'string' ? x509.subject : 'CN=unnamed',
        dnsNames: Array.isArray(sans.dns_names) ? sans.dns_names.filter((name): name is string => typeof name === 'string') : [],
        keyType: typeof keyProps.kty === 'string' ? keyProps.kty : 'RSA',
        keySize: typeof keyProps.key_size === 'number' ? keyProps.key_size : 2048,
        exportable: keyProps.exportable === true,
        contentType: typeof record(wire.secret_props).contentType === 'string' ? (record(wire.secret_props).contentType as string) : 'application/x-pkcs12',
        validityMonths: typeof x509.validity_months === 'number' ? x509.validity_months : 12,
        issuerName: typeof record(wire.issuer).name === 'string' ? (record(wire.issuer).name as string) : 'Unknown',
        wire,
    };
}
