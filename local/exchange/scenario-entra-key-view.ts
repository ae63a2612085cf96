import type { EntraScenario } from '../scenario/entra-schema';
import type { EntraKeyView } from '../scenario/world-links';
import type { ScenarioCertificates } from './scenario-certificates';

/**
 * The key target as the scenario describes it at load time, frozen: for running the simulated
 * organization on its own (the simulated agent, local/agent). With the Graph stand-in, use its live view instead.
 */
export class ScenarioEntraKeyView implements EntraKeyView {
    private readonly trusted: { derBase64: string; startMs: number; endMs: number }[] = [];

    constructor(entra: EntraScenario, certificates: ScenarioCertificates) {
        if (!entra.keyTargetExists) return;
        for (const credential of entra.keyCredentials) {
            if (credential.usage !== 'Verify' || credential.certificate === undefined) continue;
            const certificate = certificates.get(credential.certificate);
            if (certificate === undefined) continue;
            this.trusted.push({
                derBase64: certificate.derBase64,
                startMs: credential.startDateTime === undefined ? certificate.notBefore.getTime() : Date.parse(credential.startDateTime),
                endMs: credential.endDateTime === undefined ? certificate.notAfter.getTime() : Date.parse(credential.endDateTime),
            });
        }
    }

    hasValidKeyCredential(certificateDerBase64: string, atMs: number): boolean {
        return this.trusted.some((entry) => entry.derBase64 === certificateDerBase64 && entry.startMs <= atMs && atMs <= entry.endMs);
    }
}
