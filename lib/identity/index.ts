export { createAzureAccess, type AzureAccess } from './azure-access';
export { readAzureAccessSettings, azureAccessSettingsFrom, azureAppSettingsSchema, type AzureAccessSettings, type AzureAppSettings, type CredentialSettings } from './settings';
export { createTokenCredential } from './credential-factory';
export { IssuerTokenCredential, IssuerTokenError } from './issuer-token-credential';
export { createOutboundAgent } from './outbound-agent';
export { DIRECT_OUTBOUND, parseConnectTo, type OutboundSettings, type OutboundAddress } from './outbound-settings';
export { withTransientRetry, parseRetryAfter, DEFAULT_RETRY_POLICY, defaultSleep, type RetryPolicy } from './transient-retry';
export { mapCredentialError, isCredentialError } from './credential-errors';
