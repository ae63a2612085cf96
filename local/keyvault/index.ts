export { KeyVaultStandIn, type KeyVaultStandInOptions, type KeyVaultRequestRecord, type VaultCertificateView } from './keyvault-stand-in';
