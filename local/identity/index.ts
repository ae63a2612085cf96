export { startLocalCloud, startLocalCloudForScenario, createLocalCloudTls, type LocalCloud, type LocalCloudOptions, type LocalCloudTls } from './local-cloud';
export { LocalTokenIssuer, type ApiCallerIdentity, type IssuerClient, type TokenRequestRecord } from './token-issuer';
export { LOCAL_CALLER_ROLES, registerLocalApiIdentities, validateApiBearer, type LocalApiIdentities, type LocalApiUser, type LocalCallerName } from './api-callers';
export { TokenVerifier, type AccessTokenClaims, type TokenCheck } from './jwt';
