import type { CertificatePolicy } from '@azure/keyvault-certificates';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { normaliseTenantDomain } from './certificate-name';

/** What an onboarding asks Key Vault to create. */
export const certificateRequestSchema = z.object({
    tenantDomain: z.string().min(1).describe('The Microsoft 365 tenant domain; names the certificate.'),
    organizationGuid: z
        .guid()
        .transform((guid) => guid.toLowerCase())
        .describe('The Exchange organization the certificate is made for (tag organizationGuid): never reused for, or sent to, another.'),
    userDnsDomain: z.string().min(1).describe('USERDNSDOMAIN of the organization: subject CN and DNS name, as New-ExchangeCertificate -DomainName.'),
    keySizeBits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).default(2048),
    validityMonths: z.number().int().min(1).max(60).default(24).describe('A tenant policy may cap key credential lifetimes: 1 to 60 months.'),
});

export type CertificateRequest = z.input<typeof certificateRequestSchema>;
export type ValidCertificateRequest = z.output<typeof certificateRequestSchema>;

export const CERTIFICATE_PURPOSE = 'exchange-oauth-push-proxy';
export const MANAGED_BY = 'push-proxy-orchestrator';

export function validateCertificateRequest(request: CertificateRequest): ValidCertificateRequest {
    const parsed = certificateRequestSchema.safeParse(request);
    if (!parsed.success) {
        throw new ValidationError(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'request', reason: issue.message })));
    }
    return { ...parsed.data, tenantDomain: normaliseTenantDomain(parsed.data.tenantDomain), userDnsDomain: normaliseTenantDomain(parsed.data.userDnsDomain) };
}

/**
 * Lifetime actions, set explicitly: without them Key Vault applies its default, which for a certificate
 * it issues itself renews it automatically (https://learn.microsoft.com/azure/key-vault/certificates/overview-renew-certificate).
 * A renewal the product did not start would be a certificate that no Exchange server has and no key
 * target lists; the product rotates the certificate itself (reverifyTenant), so Key Vault only emails
 * the vault's certificate contacts, at 80% of the lifetime (1 to 99:
 * https://learn.microsoft.com/javascript/api/@azure/keyvault-certificates/lifetimeaction).
 */
export const CERTIFICATE_LIFETIME_ACTIONS = [{ action: 'EmailContacts', lifetimePercentage: 80 }] as const;

/** Self-signed, RSA, exportable, PKCS#12 content: the Key Vault form of the article's New-ExchangeCertificate. */
export function certificatePolicyFor(request: ValidCertificateRequest): CertificatePolicy {
    return {
        issuerName: 'Self',
        subject: `CN=${request.userDnsDomain}`,
        subjectAlternativeNames: { dnsNames: [request.userDnsDomain] },
        keyType: 'RSA',
        keySize: request.keySizeBits,
        exportable: true,
        reuseKey: false,
        contentType: 'application/x-pkcs12',
        validityInMonths: request.validityMonths,
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        lifetimeActions: CERTIFICATE_LIFETIME_ACTIONS.map((a) => ({ ...a })),
    };
}

export function certificateTagsFor(request: ValidCertificateRequest): Record<string, string> {
    return { tenantDomain: request.tenantDomain, userDnsDomain: request.userDnsDomain, organizationGuid: request.organizationGuid, purpose: CERTIFICATE_PURPOSE, managedBy: MANAGED_BY };
}
