export { certificateNameForTenant, normaliseTenantDomain } from './certificate-name';
export { certificateRequestSchema, certificatePolicyFor, certificateTagsFor, validateCertificateRequest, type CertificateRequest } from './certificate-request';
export { KeyVaultCertificateLifecycle, type CreationState, type StartCreationOptions, type KeyVaultClientOptions } from './certificate-lifecycle';
export { KeyVaultPfxExporter, OAUTH_FRIENDLY_NAME } from './pfx-export';
export { mapKeyVaultError } from './keyvault-errors';
export { readKeyVaultUrl } from './settings';
export type { PublicCertificate } from './public-certificate';
