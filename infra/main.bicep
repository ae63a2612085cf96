// push-proxy-orchestrator on Azure, provisioned by `azd up` (azure.yaml at the repository root).
// Secrets never pass through parameters, app settings or outputs: the Relay Send key is written
// into Key Vault by modules/relay.bicep, the agents' shared secrets by infra/hooks/postprovision.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the resource names and tags.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('One hybrid connection per on-premises Exchange organization. Letters, digits and hyphens only: the name is also part of a Key Vault secret name.')
param hybridConnectionNames array = []

@description('Microsoft cloud of the Exchange organization\'s tenant: selects Graph, login and Exchange Online endpoints in the app.')
@allowed([
  'global'
  'usGovHigh'
  'usGovDoD'
  'china'
])
param cloud string = 'global'

@description('Object id of the deploying user or service principal (azd sets AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer on this vault only, so that the post-provision hook can create the agents\' shared secrets. Leave empty to grant nothing.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@allowed([
  '20'
  '22'
])
param nodeVersion string = '20'

@description('Six-field NCRONTAB schedule of the re-verification timer.')
param reverifySchedule string = '0 0 6 * * *'

@description('Certificates expiring within this many days are renewed.')
@minValue(1)
param renewalWindowDays int = 60

@description('Application (client) ids allowed as key targets besides the Exchange Online service principal, comma separated (PPO_KEY_TARGET_APP_IDS). Empty: none.')
param keyTargetAppIds string = ''

param maximumInstanceCount int = 40
param relaySendRuleName string = 'orchestrator-send'
param relayListenRuleName string = 'agent-listen'
param relaySendKeySecretName string = 'relay-send-key'
param agentSecretPrefix string = 'agent-secret-'
param registryTableName string = 'tenantregistry'

var roles = loadJsonContent('roles.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-ppo-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-ppo-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-ppo-${resourceToken}'
    applicationInsightsName: 'appi-ppo-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stppo${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    registryTableName: registryTableName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: 'kv-ppo-${resourceToken}'
    location: location
    tags: tags
  }
}

module relay 'modules/relay.bicep' = {
  name: 'relay'
  scope: rg
  params: {
    name: 'relay-ppo-${resourceToken}'
    location: location
    tags: tags
    hybridConnectionNames: hybridConnectionNames
    sendRuleName: relaySendRuleName
    listenRuleName: relayListenRuleName
    keyVaultName: keyVault.outputs.name
    sendKeySecretName: relaySendKeySecretName
  }
}

module storageRoles 'modules/roles/storage-roles.bicep' = {
  name: 'storageRoles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      roles.storageBlobDataOwner.id
      roles.storageQueueDataContributor.id
      roles.storageTableDataContributor.id
    ]
  }
}

module keyVaultRoles 'modules/roles/keyvault-roles.bicep' = {
  name: 'keyVaultRoles'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      roles.keyVaultCertificatesOfficer.id
      roles.keyVaultSecretsUser.id
    ]
  }
}

module deployerKeyVaultRoles 'modules/roles/keyvault-roles.bicep' = if (!empty(principalId)) {
  name: 'deployerKeyVaultRoles'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: principalId
    principalType: principalType
    roleDefinitionIds: [
      roles.keyVaultSecretsOfficer.id
    ]
  }
}

module monitoringRoles 'modules/roles/appinsights-roles.bicep' = {
  name: 'monitoringRoles'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.name
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      roles.monitoringMetricsPublisher.id
    ]
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-ppo-${resourceToken}'
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.name
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    cloud: cloud
    keyVaultUrl: keyVault.outputs.uri
    relayNamespaceHost: relay.outputs.hostName
    relaySendRuleName: relaySendRuleName
    relaySendKeySecretName: relaySendKeySecretName
    agentSecretPrefix: agentSecretPrefix
    registryTableEndpoint: storage.outputs.tableEndpoint
    registryTableName: registryTableName
    reverifySchedule: reverifySchedule
    renewalWindowDays: renewalWindowDays
    keyTargetAppIds: keyTargetAppIds
  }
  // The host reaches storage and telemetry with the identity from its first start.
  dependsOn: [
    storageRoles
    keyVaultRoles
    monitoringRoles
  ]
}

// Names and endpoints only: azd stores them in .azure/<env>/.env for the hook and the docs.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URL string = keyVault.outputs.uri
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output PPO_CLOUD string = cloud
output PPO_RELAY_NAMESPACE string = relay.outputs.hostName
output PPO_RELAY_NAMESPACE_NAME string = relay.outputs.name
output PPO_RELAY_LISTEN_RULE string = relayListenRuleName
output PPO_AGENT_SECRET_PREFIX string = agentSecretPrefix
output PPO_HYBRID_CONNECTION_NAMES string = join(hybridConnectionNames, ',')
