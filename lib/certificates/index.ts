export { thumbprintOfDer, normaliseThumbprint } from './thumbprint';
export { parseCertificateDer, type CertificateSummary } from './parse-certificate';
export { rewrapPfxWith3des, type RewrappedPfx, type RewrapOptions } from './pfx-rewrap';
export { newPfxPassword } from './pfx-password';
