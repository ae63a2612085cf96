export { startLocalCloud, startLocalCloudForScenario, createLocalCloudTls, type LocalCloud, type LocalCloudOptions, type LocalCloudTls } from './local-cloud';
export { LocalTokenIssuer, type IssuerClient, type TokenRequestRecord } from './token-issuer';
export { TokenVerifier, type AccessTokenClaims, type TokenCheck } from './jwt';
