export { GraphStandIn, type GraphStandInOptions, type GraphRequestRecord, type KeyCredentialView } from './graph-stand-in';
export { applyKeyCredentialsPatch } from './key-credential-patch';
export type { CertificateDerLookup } from './seed-directory';
