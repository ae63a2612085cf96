// Holds the OAuth certificates and each agent's shared secret.
// RBAC mode only: no access policies, so every grant is a scoped role assignment.
import { tagSet } from '../types.bicep'

@description('Vault name: globally unique, and reserved while a deleted vault of that name is soft-deleted (main.bicep, keyVaultGeneration).')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the vault.')
param location string

@description('Tags applied to the vault.')
param tags tagSet

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The certificates behind the tenant's OAuth trust must survive an accidental delete. Purge
    // protection cannot be turned off again, and a deleted vault keeps its name for the retention
    // period: https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

@description('The vault\'s data-plane URL, https://<name>.vault.azure.net/ (or the national cloud\'s suffix).')
output uri string = vault.properties.vaultUri
