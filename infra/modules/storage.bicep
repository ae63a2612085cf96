// Host storage for Functions and the Durable Functions Azure Storage backend, plus the tenant
// registry table. Reached only with Entra ID: shared keys (and so SAS) are disabled.
import { tagSet } from '../types.bicep'

@description('Storage account name.')
param name string

@description('Region of the account.')
param location string

@description('Tags applied to the account.')
param tags tagSet

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Table holding the tenant registry.')
param registryTableName string

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

// Flex Consumption pulls the app package from this container with the managed identity.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource registryTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = {
  parent: tableService
  name: registryTableName
}

@description('Blob endpoint, https://<account>.blob.<storage suffix>/.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Table endpoint of the tenant registry, without a trailing slash (identity-based).')
output tableEndpoint string = 'https://${storage.name}.table.${environment().suffixes.storage}'
