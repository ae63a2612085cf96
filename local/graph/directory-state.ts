import { createHash, X509Certificate } from 'node:crypto';

export { EXCHANGE_ONLINE_APP_ID } from '../../lib/contracts/clouds';

/** A key credential as the directory stores it. */
export interface StoredKeyCredential {
    readonly keyId: string;
    readonly type: string;
    readonly usage: string;
    /** base64 DER of the certificate. */
    readonly key: string;
    readonly customKeyIdentifier: string | null;
    readonly displayName: string | null;
    readonly startDateTime: string;
    readonly endDateTime: string;
}

export interface DirectoryObject {
    readonly kind: 'servicePrincipal' | 'application';
    readonly id: string;
    readonly appId: string;
    readonly displayName: string;
    keyCredentials: StoredKeyCredential[];
}

export interface CertificateFacts {
    readonly thumbprint: string;
    readonly notBeforeMs: number;
    readonly notAfterMs: number;
}

/** Facts already read, by DER: the probe and every inspection read the same few certificates again and again. */
const factsCache = new Map<string, CertificateFacts | undefined>();
const FACTS_CACHE_LIMIT = 1000;

/** Facts about a base64 DER certificate, or undefined when it is not one. */
export function certificateFacts(derBase64: string): CertificateFacts | undefined {
    if (factsCache.has(derBase64)) return factsCache.get(derBase64);
    if (factsCache.size >= FACTS_CACHE_LIMIT) factsCache.clear();
    const facts = readCertificateFacts(derBase64);
    factsCache.set(derBase64, facts);
    return facts;
}

function readCertificateFacts(derBase64: string): CertificateFacts | undefined {
    const der = Buffer.from(derBase64, 'base64');
    try {
        const certificate = new X509Certificate(der);
        return {
            thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
            notBeforeMs: Date.parse(certificate.validFrom),
            notAfterMs: Date.parse(certificate.validTo),
        };
    } catch {
        return undefined;
    }
}

/** Graph's DateTimeOffset form: ISO 8601 UTC without milliseconds when they are zero. */
export function graphDateTime(ms: number): string {
    return new Date(ms).toISOString().replace('.000Z', 'Z');
}
