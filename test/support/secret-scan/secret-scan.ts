import { jsonDetections } from './json-detectors';
import { knownValueDetections } from './known-values';
import type { Artifact, KnownSecret, SecretFinding } from './scan-types';
import { textDetections } from './text-detectors';

export type { Artifact, KnownSecret, SecretFinding, SecretKind } from './scan-types';

/**
 * Looks for secrets in everything a run produced: private keys (PEM, or PKCS#8 / PKCS#1 / SEC1 DER
 * in base64 or hex), PFX (PKCS#12 DER), PFX passwords and sealed PFX envelopes (by property name and
 * shape), SAS keys and tokens, shared secrets, bearer tokens (JWT), and every secret value the world
 * is known to hold. Findings say where and what, never the secret.
 */
export function scanForSecrets(artifacts: readonly Artifact[], known: readonly KnownSecret[]): SecretFinding[] {
    const sharedSecrets = known.filter((secret) => secret.kind === 'sharedSecret');
    const findings: SecretFinding[] = [];
    const seen = new Set<string>();
    for (const artifact of artifacts) {
        const detections = [...textDetections(artifact.text), ...jsonDetections(artifact.text, sharedSecrets), ...knownValueDetections(artifact.text, known)];
        for (const detection of detections) {
            const key = `${artifact.source}|${detection.kind}|${detection.how}`;
            if (seen.has(key)) continue;
            seen.add(key);
            findings.push({ source: artifact.source, ...detection });
        }
    }
    return findings;
}

/** One line per finding, for a test failure message. */
export function describeFindings(findings: readonly SecretFinding[]): string {
    return findings.map((finding) => `${finding.source}: ${finding.kind} (${finding.how}) at ${finding.at}`).join('\n');
}
