// The Function App on the Flex Consumption plan, running as the user-assigned identity.
// Every app setting below is a name, an endpoint or a switch: secrets stay in Key Vault, and the app
// reaches storage, Key Vault, Relay and telemetry with the identity.
import { tagSet } from '../types.bicep'

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags tagSet

@description('User-assigned identity the app runs as.')
param identityName string

@description('Storage account of the Functions host and of the Durable Functions backend.')
param storageAccountName string

@description('Blob container the plan deploys the app package from.')
param deploymentContainerName string

@description('Application Insights component that receives the telemetry.')
param applicationInsightsName string

// Node.js 22 is a GA language version of Functions 4.x
// (https://learn.microsoft.com/azure/azure-functions/supported-languages?pivots=programming-language-javascript)
// and a Flex Consumption runtime ("Node.js 22", runtimeVersion Node|22, in the stacks data of
// Az.Functions, Azure/azure-powershell src/Functions/Functions.Autorest/custom/FunctionsStackFlexData).
// Node.js 20 reached end of life in April 2026, so 22 is the only version offered; the code also runs on 20.
@description('Node.js major version of the app\'s runtime.')
@allowed([
  '22'
])
param nodeVersion string

@description('Most instances the plan scales out to.')
param maximumInstanceCount int

@description('Microsoft cloud of the Exchange organizations\' tenants (PPO_CLOUD).')
param cloud string

@description('Key Vault URL (PPO_KEY_VAULT_URL).')
param keyVaultUrl string

@description('Relay namespace host (PPO_RELAY_NAMESPACE).')
param relayNamespaceHost string

@description('Prefix of the Key Vault secrets holding the agents\' shared secrets (PPO_AGENT_SECRET_PREFIX).')
param agentSecretNamePrefix string

@description('Table endpoint of the tenant registry (PPO_REGISTRY_TABLE_ENDPOINT).')
param registryTableEndpoint string

@description('Table of the tenant registry (PPO_REGISTRY_TABLE).')
param registryTableName string

@description('NCRONTAB schedule of the re-verification timer (PPO_REVERIFY_SCHEDULE).')
param reverifySchedule string

@description('Renewal window in days (PPO_RENEWAL_WINDOW_DAYS).')
param renewalWindowDays int
@description('Application (client) ids allowed as key targets besides the Exchange Online service principal, comma separated (PPO_KEY_TARGET_APP_IDS).')
param keyTargetAppIds string

@description('Client id of the API app registration that App Service authentication validates tokens for; the post-provision hook creates it. Empty: authentication is not configured yet and the app refuses every caller.')
param apiClientId string

@description('Application ID URI of the API app registration (api://<client id>): the other allowed token audience.')
param apiAppIdUri string

@description('OpenID issuer of the tenant whose tokens are accepted: <login endpoint><tenant id>/v2.0.')
param authIssuer string

@description('Paths App Service authentication leaves open: the routes that require no app role (functions/http/api-routes.ts).')
param publicPaths string[]

@description('Client id of the provider\'s multi-tenant application (PPO_PROVIDER_APP_ID); empty: single directory (PPO_DIRECTORIES).')
param providerAppId string

@description('Resource id of the relay namespace where organizations are enrolled at run time (PPO_RELAY_RESOURCE_ID); empty: no run-time enrollment.')
param relayResourceId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
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

resource site 'Microsoft.Web/sites@2025-03-01' = {
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

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
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
    // The relay sender authenticates with the identity (Azure Relay Sender role), not a SAS key.
    PPO_RELAY_AUTH: 'entra'
    PPO_AGENT_SECRET_PREFIX: agentSecretNamePrefix
    PPO_REGISTRY_TABLE_ENDPOINT: registryTableEndpoint
    PPO_REGISTRY_TABLE: registryTableName
    PPO_REVERIFY_SCHEDULE: reverifySchedule
    PPO_RENEWAL_WINDOW_DAYS: string(renewalWindowDays)
    PPO_KEY_TARGET_APP_IDS: keyTargetAppIds
    PPO_DIRECTORIES: empty(providerAppId) ? 'single' : 'multiTenant'
    PPO_PROVIDER_APP_ID: providerAppId
    PPO_RELAY_RESOURCE_ID: relayResourceId
  }
}

// App Service authentication in front of every route ("Configure your App Service or Azure Functions app
// to use Microsoft Entra sign-in", https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad;
// schema: https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2). It validates
// the bearer token (issuer, audience, signature, expiry), strips client-sent X-MS-CLIENT-PRINCIPAL* headers
// and injects its own; the app checks the route's app role. Tokens are not stored: the API never calls
// anything on the caller's behalf. Deployed once the hook has created the app registration.
resource authentication 'Microsoft.Web/sites/config@2025-03-01' = if (!empty(apiClientId)) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: publicPaths
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: authIssuer
        }
        validation: {
          allowedAudiences: [
            apiClientId
            apiAppIdUri
          ]
        }
      }
    }
    // The token store stays off (app-service-auth-login.json, which the local emulation of App Service
    // authentication reads too): with it off, /.auth/me answers 404, so the console asks GET /api/me.
    login: loadJsonContent('../app-service-auth-login.json')
  }
}

@description('Default host name, <name>.azurewebsites.net.')
output defaultHostName string = site.properties.defaultHostName
