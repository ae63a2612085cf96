export { EntraKeyCredentials, type KeyCredentialChange, type KeyCredentialChangeResult, type RegistrationResult, type RemovalResult, type RemovalOptions, type EntraKeyCredentialsOptions } from './entra-key-credentials';
export { EXCHANGE_ONLINE_APP_ID, type ResolvedKeyTarget, type KeyTargetSpec } from './key-target';
export { KeyCredentialsLostError } from './key-credentials-lost-error';
export { PRODUCT_CREDENTIAL_PREFIX, type KeyCredentialRecord } from './key-credential';
export { mapGraphError, GRAPH_PERMISSION } from './graph-errors';
export { createGraphClient } from './graph-client';
