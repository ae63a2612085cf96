import { type GeneratedCertificate, generateSelfSignedCertificate } from '../scenario/generate-certificate';
import type { ExchangeScenario } from '../scenario/exchange-schema';

/** The scenario's certificates by id, generated for real. Share one map between the Exchange and Graph stand-ins. */
export type ScenarioCertificates = ReadonlyMap<string, GeneratedCertificate>;

export function generateScenarioCertificates(exchange: ExchangeScenario): ScenarioCertificates {
    const generated = new Map<string, GeneratedCertificate>();
    for (const spec of exchange.certificates) {
        generated.set(
            spec.id,
            generateSelfSignedCertificate({
                subject: spec.subject,
                dnsNames: spec.domains,
                keySize: spec.keySize,
                notBefore: new Date(spec.notBefore),
                notAfter: new Date(spec.notAfter),
            }),
        );
    }
    return generated;
}
