// Workspace-based Application Insights that accepts only Entra ID-authenticated telemetry, and the
// alert on re-verification results: a log search alert rule over the `TenantVerified` event that
// orchestrators/reverify-tenant.ts logs once per tenant and run, notifying an action group by email.
// Log search alert rules (scheduledQueryRules):
//   https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule
//   https://learn.microsoft.com/azure/templates/microsoft.insights/scheduledqueryrules
// Action groups (email receivers; an action group's location is 'global'):
//   https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups
//   https://learn.microsoft.com/azure/templates/microsoft.insights/actiongroups
import { tagSet } from '../types.bicep'

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Action group name.')
param actionGroupName string

@description('Alert rule name.')
param alertRuleName string

@description('Address the action group emails when a tenant drifts or fails verification.')
param alertEmailAddress string

@description('Region of the workspace, the component and the alert rule.')
param location string

@description('Tags applied to every resource here.')
param tags tagSet

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    features: {
      disableLocalAuth: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'ppo-alerts'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmailAddress
        useCommonAlertSchema: true
      }
    ]
  }
}

@description('Drifted or failed verifications. Function logs reach the component\'s traces table; the event is the whole message, as JSON.')
var tenantVerifiedQuery = '''
traces
| where message startswith '{"event":"TenantVerified"'
| extend e = parse_json(message)
| where tostring(e.outcome) in ("drifted", "failed")
| project timestamp, tenant = tostring(e.tenantDomain), outcome = tostring(e.outcome)
'''

resource tenantVerifiedAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: alertRuleName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Push proxy: a tenant drifted or failed re-verification'
    description: 'A TenantVerified event with outcome drifted or failed: read the tenant\'s last verification (GET /api/tenants/{tenantDomain}) and repair (POST /api/tenants/{tenantDomain}/verify with mode repair).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    // The daily timer verifies every tenant within the hour; an hourly look misses none.
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: tenantVerifiedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'tenant'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'outcome'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}
