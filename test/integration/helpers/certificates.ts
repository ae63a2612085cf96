import { generateSelfSignedCertificate, type GeneratedCertificate } from '../../../local/scenario/generate-certificate';

const DAY_MS = 86_400_000;
const WORLD_START = Date.UTC(2026, 0, 5, 9, 0, 0);

const cache = new Map<string, GeneratedCertificate>();

/**
 * Certificates made once per test file and looked up by id, as the Exchange world's scenario
 * certificates are: `validDays` from 30 days before the world clock's start. 1024-bit keys by default:
 * Graph and the PFX code do not care, and key generation dominates the tests' time.
 */
export function certificate(id: string, validDays = 365, keySize = 1024): GeneratedCertificate {
    const key = `${id}/${validDays}/${keySize}`;
    let generated = cache.get(key);
    if (generated === undefined) {
        generated = generateSelfSignedCertificate({
            subject: `CN=${id}`,
            dnsNames: [`${id}.contoso.com`],
            keySize,
            notBefore: new Date(WORLD_START - 30 * DAY_MS),
            notAfter: new Date(WORLD_START - 30 * DAY_MS + validDays * DAY_MS),
        });
        cache.set(key, generated);
    }
    return generated;
}

/** The lookup the Graph stand-in takes: scenario certificate id to DER. */
export function scenarioCertificateDer(id: string): string | undefined {
    return certificate(id).derBase64;
}
