import type { VaultCertificate } from '../lib/contracts/activities';
import type { PublicCertificate } from '../lib/keyvault/public-certificate';

export function toVaultCertificate(certificate: PublicCertificate): VaultCertificate {
    return {
        certificateName: certificate.certificateName,
        version: certificate.version,
        thumbprint: certificate.thumbprint,
        derBase64: certificate.cerBase64,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
    };
}
