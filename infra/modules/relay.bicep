// Azure Relay: one hybrid connection per on-premises Exchange organization.
// - Each hybrid connection has its own Listen-only rule: an agent's key opens its own
//   organization's connection and nothing else, and cannot send.
// - The Function App sends with one Send-only rule on the namespace: it must reach every
//   organization anyway, and one key means one Key Vault secret to read and rotate.
// The Send key goes straight into Key Vault from here; it is never an output.
param name string
param location string
param tags object
param hybridConnectionNames array
param sendRuleName string
param listenRuleName string
param keyVaultName string
param sendKeySecretName string

resource namespace 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
}

resource sendRule 'Microsoft.Relay/namespaces/authorizationRules@2021-11-01' = {
  parent: namespace
  name: sendRuleName
  properties: {
    rights: [
      'Send'
    ]
  }
}

resource hybridConnections 'Microsoft.Relay/namespaces/hybridConnections@2021-11-01' = [for hc in hybridConnectionNames: {
  parent: namespace
  name: hc
  properties: {
    requiresClientAuthorization: true
  }
}]

resource listenRules 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = [for (hc, i) in hybridConnectionNames: {
  parent: hybridConnections[i]
  name: listenRuleName
  properties: {
    rights: [
      'Listen'
    ]
  }
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource sendKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: sendKeySecretName
  properties: {
    contentType: 'Azure Relay SAS key of rule ${sendRuleName} (Send)'
    value: sendRule.listKeys().primaryKey
  }
}

output name string = namespace.name
// serviceBusEndpoint is https://<name>.servicebus.<cloud suffix>:443/; the app wants the host.
output hostName string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
