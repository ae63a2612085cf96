/**
 * What one stand-in needs to see of another. The simulated Exchange probe asks the Entra side
 * whether the key target trusts a certificate; the Graph stand-in implements this.
 */
export interface EntraKeyView {
    /** True when the key target holds a Verify key credential for this certificate, valid at `atMs`. */
    hasValidKeyCredential(certificateDerBase64: string, atMs: number): boolean;
}
