<#
.SYNOPSIS
Dot-sourced by postprovision.ps1 (needs its Invoke-Az, Invoke-AzWithRetries, Get-GraphArguments,
Invoke-GraphWrite, Get-OptionalSetting and Get-RequiredSetting). The same as
infra/hooks/provider-app-registration.sh, which says why each step is as it is.

.DESCRIPTION
Service providers only (PPO_SERVICE_PROVIDER=true): upserts the multi-tenant application
ppo-provider-<env> with the Graph application permission Application.ReadWrite.All declared, upserts
its one federated identity credential trusting the managed identity ("Configure an application to
trust a managed identity",
https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity),
and sets PPO_PROVIDER_APP_ID on the Function App and in the azd environment.
#>
param()

$ProviderCredentialName = 'ppo-managed-identity'
# Login host and token-exchange audience per cloud, as lib/identity/token-exchange.ts.
$ProviderTrust = @{
    global    = @{ login = 'https://login.microsoftonline.com'; audience = 'api://AzureADTokenExchange' }
    usGovHigh = @{ login = 'https://login.microsoftonline.us'; audience = 'api://AzureADTokenExchangeUSGov' }
    usGovDoD  = @{ login = 'https://login.microsoftonline.us'; audience = 'api://AzureADTokenExchangeUSGov' }
    china     = @{ login = 'https://login.chinacloudapi.cn'; audience = 'api://AzureADTokenExchangeChina' }
}

function Set-ProviderAppRegistration([string] $Cloud) {
    if ((Get-OptionalSetting 'PPO_SERVICE_PROVIDER' 'false') -ne 'true') { return }
    $environmentName = Get-RequiredSetting 'AZURE_ENV_NAME'
    $tenant = Get-RequiredSetting 'AZURE_TENANT_ID'
    $unique = "ppo-provider-$environmentName"
    $trust = $ProviderTrust[$Cloud]
    $roleQuery = "appRoles[?value=='Application.ReadWrite.All' && contains(allowedMemberTypes, 'Application')].id | [0]"
    $roleId = Invoke-Az ((Get-GraphArguments 'get' "servicePrincipals(appId='$GraphAppId')?`$select=appRoles") + @('--query', $roleQuery, '-o', 'tsv'))
    if ([string]::IsNullOrEmpty($roleId)) { throw 'postprovision: Microsoft Graph has no application permission Application.ReadWrite.All in this tenant.' }
    $app = [ordered]@{
        displayName            = "push-proxy-orchestrator provider ($environmentName)"
        signInAudience         = 'AzureADMultipleOrgs'
        requiredResourceAccess = @([ordered]@{ resourceAppId = $GraphAppId; resourceAccess = @([ordered]@{ id = $roleId; type = 'Role' }) })
    }
    $null = Invoke-GraphWrite 'patch' "applications(uniqueName='$unique')" $app @('Content-Type=application/json', 'Prefer=create-if-missing')
    $appId = Invoke-AzWithRetries ((Get-GraphArguments 'get' "applications(uniqueName='$unique')?`$select=appId") + @('--query', 'appId', '-o', 'tsv'))
    $appObject = Invoke-Az ((Get-GraphArguments 'get' "applications(uniqueName='$unique')?`$select=id") + @('--query', 'id', '-o', 'tsv'))
    $credential = [ordered]@{
        issuer      = "$($trust.login)/$tenant/v2.0"
        subject     = $script:Identity
        audiences   = @($trust.audience)
        description = "The push-proxy-orchestrator Function App's managed identity"
    }
    $null = Invoke-GraphWrite 'patch' "applications/$appObject/federatedIdentityCredentials(name='$ProviderCredentialName')" $credential @('Content-Type=application/json', 'Prefer=create-if-missing')
    Write-Host "Entra ID: provider application $appId (multi-tenant), trusting the managed identity $($script:Identity); no secret."
    if ((Get-OptionalSetting 'PPO_PROVIDER_APP_ID' '') -ne $appId) {
        & azd env set PPO_PROVIDER_APP_ID $appId
        if ($LASTEXITCODE -ne 0) { throw 'postprovision: azd env set PPO_PROVIDER_APP_ID failed.' }
        $null = Invoke-Az @('functionapp', 'config', 'appsettings', 'set', '--name', (Get-RequiredSetting 'AZURE_FUNCTION_APP_NAME'), '--resource-group', $script:ResourceGroup,
            '--settings', "PPO_PROVIDER_APP_ID=$appId", 'PPO_DIRECTORIES=multiTenant', '-o', 'none')
        Write-Host "Function App: PPO_PROVIDER_APP_ID=$appId, PPO_DIRECTORIES=multiTenant (and in the azd environment for the next azd provision)."
    }
    Write-Host "Each customer's Global Administrator consents once: $($trust.login)/<their tenant>/adminconsent?client_id=$appId (GET /api/tenants/{domain}/consent gives the link)."
}
