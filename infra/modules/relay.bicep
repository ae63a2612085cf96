// Azure Relay: one hybrid connection per on-premises Exchange organization.
// - The Function App sends with its managed identity (Entra ID), granted Azure Relay Sender on this
//   namespace (main.bicep): no Send key exists, so none can leak. Relay accepts an Entra ID token for
//   https://relay.azure.net on Hybrid Connections HTTP requests:
//   https://learn.microsoft.com/azure/azure-relay/authenticate-application and Microsoft's sample
//   Azure/azure-relay samples/hybrid-connections/dotnet/rolebasedaccesscontrol/Program.cs.
// - Each hybrid connection has its own Listen-only rule: an on-premises agent has no managed identity,
//   so it listens with a SAS key that opens its own organization's connection and nothing else.
// - The namespace's automatic RootManageSharedAccessKey rule is used by nothing here (no listKeys);
//   the post-provision hook deletes it (infra/hooks).
import { tagSet } from '../types.bicep'

@description('Relay namespace name.')
param name string

@description('Region of the namespace.')
param location string

@description('Tags applied to the namespace.')
param tags tagSet

@description('One hybrid connection per on-premises Exchange organization.')
param hybridConnectionNames string[]

@description('Name of the Listen-only rule created on each hybrid connection for its agent.')
param listenRuleName string

resource namespace 'Microsoft.Relay/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
}

resource hybridConnections 'Microsoft.Relay/namespaces/hybridConnections@2026-01-01' = [
  for hc in hybridConnectionNames: {
    parent: namespace
    name: hc
    properties: {
      requiresClientAuthorization: true
    }
  }
]

resource listenRules 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2026-01-01' = [
  for (hc, i) in hybridConnectionNames: {
    parent: hybridConnections[i]
    name: listenRuleName
    properties: {
      rights: [
        'Listen'
      ]
    }
  }
]

// serviceBusEndpoint is https://<name>.servicebus.<cloud suffix>:443/; the app wants the host.
@description('Host name of the namespace, <name>.servicebus.windows.net in the global cloud.')
output hostName string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
