// push-proxy-orchestrator on Azure, provisioned by `azd up` (azure.yaml at the repository root).
// Secrets never pass through parameters, app settings or outputs: the app reaches storage, Key Vault,
// Relay and telemetry with its managed identity, and the agents' shared secrets are written into Key
// Vault by infra/hooks/postprovision. Compiled and linted with every core rule an error
// (bicepconfig.json, `npm run infra:check`).
targetScope = 'subscription'

import { tagSet } from 'types.bicep'

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
param hybridConnectionNames string[] = []

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

@description('Kind of principal that principalId names.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Node.js major version the Function App runs (docs/deploy.md).')
@allowed([
  '22'
])
param nodeVersion string = '22'

@description('Six-field NCRONTAB schedule of the re-verification timer.')
param reverifySchedule string = '0 0 6 * * *'

@description('Certificates expiring within this many days are renewed.')
@minValue(1)
param renewalWindowDays int = 60

@description('Application (client) ids allowed as key targets besides the Exchange Online service principal, comma separated (PPO_KEY_TARGET_APP_IDS). Empty: none.')
param keyTargetAppIds string = ''

@description('Client id of the API app registration with the app roles PushProxy.Reader, PushProxy.Operator and PushProxy.Administrator. The post-provision hook creates it and sets PPO_API_CLIENT_ID; the next `azd provision` turns App Service authentication on with it (Bicep cannot create app registrations without the Microsoft Graph extension).')
param apiClientId string = ''

@description('Client id of the provider\'s multi-tenant application whose federated credential trusts the managed identity (PPO_PROVIDER_APP_ID). Empty: the deployment works in its own directory only.')
param providerAppId string = ''

@description('Let the app enroll and remove organizations at run time (POST/DELETE /api/organizations): sets PPO_RELAY_RESOURCE_ID and grants the identity two custom roles, on the relay namespace and on the vault (modules/roles/enrollment-role-definitions.bicep). Creating them needs Owner or User Access Administrator on the subscription.')
param enrollOrganizations bool = false

@description('Most instances the Flex Consumption plan scales out to.')
@minValue(1)
param maximumInstanceCount int = 40

@description('Name of the Listen-only rule on each hybrid connection, for its agent.')
param relayListenRuleName string = 'agent-listen'

@description('Key Vault secret <prefix><hybrid connection> holds that agent\'s shared secret.')
param agentSecretNamePrefix string = 'agent-secret-'

@description('Table of the tenant registry.')
param registryTableName string = 'tenantregistry'

@description('Seeds the Key Vault name. A deleted vault keeps its name while soft-deleted (90 days, purge protection on), so after `azd down` raise it by one before `azd up` (docs/deploy.md).')
@minValue(1)
param keyVaultGeneration int = 1

@description('Email address notified when a tenant drifts or fails re-verification.')
@minLength(3)
param alertEmailAddress string

@description('The built-in roles this deployment grants, and why (infra/roles.json).')
var roles = loadJsonContent('roles.json')

@description('Deterministic suffix of every resource name: one per subscription, environment and region.')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

@description('Tags on every resource: azd finds the environment\'s resources by azd-env-name.')
var tags tagSet = {
  'azd-env-name': environmentName
}

@description('Resource group name.')
var resourceGroupName = 'rg-${environmentName}'

@description('Managed identity name.')
var identityName = 'id-ppo-${resourceToken}'

@description('Storage account name.')
var storageAccountName = 'stppo${resourceToken}'

@description('Key vault name: 7 + 13 characters, within the 24 allowed; a new generation gives a new name.')
var keyVaultName = 'kv-ppo-${take(toLower(uniqueString(subscription().id, environmentName, location, string(keyVaultGeneration))), 13)}'

@description('Relay namespace name.')
var relayNamespaceName = 'relay-ppo-${resourceToken}'

@description('Application Insights component name.')
var applicationInsightsName = 'appi-ppo-${resourceToken}'

@description('Custom role of run-time enrollment on the relay namespace: one per deployment (a role definition name is unique in the directory).')
var relayEnrollmentRoleId = guid(subscription().id, resourceGroupName, 'relay-enrollment')

@description('Custom role of run-time enrollment on the key vault: writes and deletes the agents\' shared secrets.')
var agentSecretWriterRoleId = guid(subscription().id, resourceGroupName, 'agent-secret-writer')

@description('Function App name.')
var functionAppName = 'func-ppo-${resourceToken}'

@description('Blob container of the Flex Consumption app package.')
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: 'log-ppo-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    actionGroupName: 'ag-ppo-${resourceToken}'
    alertRuleName: 'alert-ppo-tenant-verified-${resourceToken}'
    alertEmailAddress: alertEmailAddress
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    registryTableName: registryTableName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
  }
}

module relay 'modules/relay.bicep' = {
  scope: rg
  params: {
    name: relayNamespaceName
    location: location
    tags: tags
    hybridConnectionNames: hybridConnectionNames
    listenRuleName: relayListenRuleName
  }
}

// Every grant to the app's identity, each on one resource (infra/roles.json says why each is needed).
module identityRoles 'modules/roles/identity-roles.bicep' = {
  scope: rg
  params: {
    identityName: identityName
    storageAccountName: storageAccountName
    storageRoleIds: [
      roles.storageBlobDataOwner.id
      roles.storageQueueDataContributor.id
      roles.storageTableDataContributor.id
    ]
    keyVaultName: keyVaultName
    keyVaultRoleIds: [
      roles.keyVaultCertificatesOfficer.id
      roles.keyVaultSecretsUser.id
    ]
    relayNamespaceName: relayNamespaceName
    relayRoleIds: [
      roles.azureRelaySender.id
    ]
    applicationInsightsName: applicationInsightsName
    applicationInsightsRoleIds: [
      roles.monitoringMetricsPublisher.id
    ]
  }
  // The names above are known before these exist; the grants wait for them.
  dependsOn: [
    identity
    storage
    keyVault
    relay
    monitoring
  ]
}

// Run-time enrollment only: custom roles with exactly the operations it performs.
module enrollmentRoleDefinitions 'modules/roles/enrollment-role-definitions.bicep' = if (enrollOrganizations) {
  params: {
    relayRoleId: relayEnrollmentRoleId
    vaultRoleId: agentSecretWriterRoleId
    assignableScope: rg.id
    nameSuffix: resourceToken
  }
}

module enrollmentRoles 'modules/roles/enrollment-roles.bicep' = if (enrollOrganizations) {
  scope: rg
  params: {
    identityName: identityName
    relayNamespaceName: relayNamespaceName
    relayRoleId: relayEnrollmentRoleId
    keyVaultName: keyVaultName
    vaultRoleId: agentSecretWriterRoleId
  }
  dependsOn: [
    enrollmentRoleDefinitions
    identity
    keyVault
    relay
  ]
}

module deployerRoles 'modules/roles/deployer-roles.bicep' = if (!empty(principalId)) {
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    keyVaultName: keyVaultName
    keyVaultRoleIds: [
      roles.keyVaultSecretsOfficer.id
    ]
  }
  dependsOn: [
    keyVault
  ]
}

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-ppo-${resourceToken}'
    location: location
    tags: tags
    identityName: identityName
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    cloud: cloud
    keyVaultUrl: keyVault.outputs.uri
    relayNamespaceHost: relay.outputs.hostName
    agentSecretNamePrefix: agentSecretNamePrefix
    registryTableEndpoint: storage.outputs.tableEndpoint
    registryTableName: registryTableName
    reverifySchedule: reverifySchedule
    renewalWindowDays: renewalWindowDays
    keyTargetAppIds: keyTargetAppIds
    apiClientId: apiClientId
    apiAppIdUri: empty(apiClientId) ? '' : 'api://${apiClientId}'
    authIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    // The paths no app role guards (unauthenticatedPaths() in functions/http/api-routes.ts, which the
    // local stack uses too); test/infra/infra.test.ts keeps the file equal to it.
    publicPaths: loadJsonContent('public-paths.json')
    providerAppId: providerAppId
    relayResourceId: enrollOrganizations ? resourceId(subscription().subscriptionId, rg.name, 'Microsoft.Relay/namespaces', relayNamespaceName) : ''
  }
  // The host reaches storage, Key Vault, Relay and telemetry with the identity from its first start.
  dependsOn: [
    identityRoles
    enrollmentRoles
  ]
}

// Names and endpoints only: azd stores them in .azure/<env>/.env for the hook and the docs.
@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Entra tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding every resource.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Function App name.')
output AZURE_FUNCTION_APP_NAME string = functionAppName

@description('Function App base URL.')
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Key vault name (it changes with keyVaultGeneration).')
output AZURE_KEY_VAULT_NAME string = keyVaultName

@description('Key vault URL.')
output AZURE_KEY_VAULT_URL string = keyVault.outputs.uri

@description('Object id of the app\'s managed identity (the hook grants it Microsoft Graph).')
output AZURE_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('Client id of the app\'s managed identity.')
output AZURE_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Microsoft cloud of the tenants.')
output PPO_CLOUD string = cloud

@description('Relay namespace host.')
output PPO_RELAY_NAMESPACE string = relay.outputs.hostName

@description('Relay namespace name (the hook fetches each agent\'s Listen key by it).')
output PPO_RELAY_NAMESPACE_NAME string = relayNamespaceName

@description('Listen rule name on each hybrid connection.')
output PPO_RELAY_LISTEN_RULE string = relayListenRuleName

@description('Prefix of the agents\' shared-secret names in Key Vault.')
output PPO_AGENT_SECRET_PREFIX string = agentSecretNamePrefix

@description('Hybrid connections, comma-separated.')
output PPO_HYBRID_CONNECTION_NAMES string = join(hybridConnectionNames, ',')

@description('Client id of the API app registration (empty until the post-provision hook created it).')
output PPO_API_CLIENT_ID string = apiClientId

@description('Application ID URI of the API: ppo asks for <URI>/.default.')
output PPO_API_APP_ID_URI string = empty(apiClientId) ? '' : 'api://${apiClientId}'
