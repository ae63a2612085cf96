import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors';
import { certificateNameForTenant } from '../../lib/keyvault/certificate-name';
import { certificatePolicyFor, validateCertificateRequest } from '../../lib/keyvault/certificate-request';

const KEY_VAULT_NAME = /^[0-9a-zA-Z-]{1,127}$/;

describe('Key Vault certificate names and policy (pure)', () => {
    it.each(['contoso.com', 'Contoso.COM', 'contoso.com.', 'xn--bcher-kva.example', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`])(
        'derives a Key Vault name within the naming rules from %s',
        (domain) => {
            // Act
            const name = certificateNameForTenant(domain);

            // Assess
            expect(name).toMatch(KEY_VAULT_NAME);
            expect(name.startsWith('exo-oauth-')).toBe(true);
        },
    );

    it('is deterministic and ignores case and a trailing dot', () => {
        // Act
        const names = ['contoso.com', 'CONTOSO.com', 'contoso.com.'].map(certificateNameForTenant);

        // Assess
        expect(new Set(names).size).toBe(1);
    });

    it('keeps domains apart that read the same once dots become dashes', () => {
        // Act
        const first = certificateNameForTenant('a-b.com');
        const second = certificateNameForTenant('a.b-com');

        // Assess
        expect(first).not.toBe(second);
    });

    it.each(['', 'contoso', 'contoso..com', '-contoso.com', 'fabrikam.com"; Remove-Item', '../x', 'cöntoso.com'])('rejects %j as a tenant domain', (domain) => {
        // Act
        const derive = (): unknown => certificateNameForTenant(domain);

        // Assess
        expect(derive).toThrow(ValidationError);
    });

    it('builds the policy of the article\'s certificate: self-signed, RSA, exportable, PKCS#12, CN and DNS name from USERDNSDOMAIN', () => {
        // Act
        const policy = certificatePolicyFor(validateCertificateRequest({ tenantDomain: 'contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', userDnsDomain: 'CORP.contoso.com' }));

        // Assess
        expect(policy).toMatchObject({
            issuerName: 'Self',
            subject: 'CN=corp.contoso.com',
            subjectAlternativeNames: { dnsNames: ['corp.contoso.com'] },
            keyType: 'RSA',
            keySize: 2048,
            exportable: true,
            contentType: 'application/x-pkcs12',
            validityInMonths: 24,
        });
    });

    it('sets its lifetime actions explicitly: Key Vault emails its contacts and never renews the certificate by itself', () => {
        // Act
        const policy = certificatePolicyFor(validateCertificateRequest({ tenantDomain: 'contoso.com', organizationGuid: '00000000-0000-0000-0000-00000000c0de', userDnsDomain: 'corp.contoso.com' }));

        // Assess
        expect(policy.lifetimeActions).toEqual([{ action: 'EmailContacts', lifetimePercentage: 80 }]);
        expect(policy.lifetimeActions?.some((a) => a.action === 'AutoRenew')).toBe(false);
    });

    it.each([
        ['keySizeBits', { keySizeBits: 1024 }],
        ['validityMonths', { validityMonths: 0 }],
        ['validityMonths', { validityMonths: 61 }],
    ])('rejects a request with a bad %s', (field, change) => {
        // Act
        const validate = (): unknown => validateCertificateRequest({ tenantDomain: 'contoso.com', organizationGuid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', userDnsDomain: 'corp.contoso.com', ...change } as Parameters<typeof validateCertificateRequest>[0]);

        // Assess
        expect(validate).toThrow(ValidationError);
        expect(validate).toThrow(field);
    });
});
