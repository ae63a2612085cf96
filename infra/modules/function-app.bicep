// The Function App on the Flex Consumption plan, running as the user-assigned identity.
// Every app setting below is a name, an endpoint or a switch: secrets stay in Key Vault.
param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
@allowed([
  '20'
  '22'
])
param nodeVersion string
param maximumInstanceCount int
param cloud string
param keyVaultUrl string
param relayNamespaceHost string
param relaySendRuleName string
param relaySendKeySecretName string
param agentSecretPrefix string
param registryTableEndpoint string
param registryTableName string
param reverifySchedule string
param renewalWindowDays int
param keyTargetAppIds string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy service 'api' (azure.yaml) by this tag.
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host and Durable Functions storage, identity-based.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    // Explicit endpoints: accountName alone resolves only in the global cloud.
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    // Telemetry with Entra ID: the connection string only identifies the component.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
    // Read by the app's configuration (lib/config).
    PPO_AZURE_CLIENT_ID: identity.properties.clientId
    PPO_CLOUD: cloud
    PPO_KEY_VAULT_URL: keyVaultUrl
    PPO_RELAY_NAMESPACE: relayNamespaceHost
    PPO_RELAY_SEND_RULE: relaySendRuleName
    PPO_RELAY_SEND_KEY_SECRET: relaySendKeySecretName
    PPO_AGENT_SECRET_PREFIX: agentSecretPrefix
    PPO_REGISTRY_TABLE_ENDPOINT: registryTableEndpoint
    PPO_REGISTRY_TABLE: registryTableName
    PPO_REVERIFY_SCHEDULE: reverifySchedule
    PPO_RENEWAL_WINDOW_DAYS: string(renewalWindowDays)
    PPO_KEY_TARGET_APP_IDS: keyTargetAppIds
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
