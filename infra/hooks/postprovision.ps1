<#
.SYNOPSIS
azd post-provision hook (Windows). infra/hooks/postprovision.sh does the same on macOS and Linux.

.DESCRIPTION
1. Grants the managed identity its Microsoft Graph application permission (Bicep cannot).
2. Deletes the Relay namespace's automatic RootManageSharedAccessKey rule, which nothing needs.
3. Creates each agent's shared secret in Key Vault when it is missing.
4. Prints, for each hybrid connection, how to fetch what its agent needs.
5. Creates the API's app registration with its app roles, as infra/hooks/api-app-registration.sh does
   (Bicep cannot create app registrations without the Microsoft Graph extension).
6. Service providers (PPO_SERVICE_PROVIDER=true): creates the multi-tenant application and its
   federated credential trusting the managed identity, and sets PPO_PROVIDER_APP_ID
   (infra/hooks/provider-app-registration.ps1).
Idempotent: run it again at any time (azd hooks run postprovision). It never prints a secret.
Manual alternative and the rights it needs: docs/deploy.md, docs/permissions.md.

Reads azd's environment (main.bicep outputs) and, optionally:
  PPO_GRAPH_PERMISSION   ReadWriteAll (default) | OwnedBy | none (see postprovision.sh)
  PPO_KEY_TARGET_APP_ID  appId of the dedicated application (OwnedBy only)
  PPO_SERVICE_PROVIDER   true: step 6 (one deployment for many customers' directories)
#>
param()

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$GraphAppId = '00000003-0000-0000-c000-000000000000'
$SecretNamePattern = '^[A-Za-z0-9-]+$'
$GraphBases = @{
    global    = 'https://graph.microsoft.com'
    usGovHigh = 'https://graph.microsoft.us'
    usGovDoD  = 'https://dod-graph.microsoft.us'
    china     = 'https://microsoftgraph.chinacloudapi.cn'
}

function Get-RequiredSetting([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value)) {
        throw "postprovision: $Name is not set: run this through azd (azd provision) or set it."
    }
    return $value
}

function Get-OptionalSetting([string] $Name, [string] $Default) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value)) { return $Default }
    return $value
}

# Runs az with an argument array (never a command string) and fails on a non-zero exit code.
function Invoke-Az([string[]] $Arguments) {
    $output = & az @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "postprovision: az $($Arguments[0]) $($Arguments[1]) failed (exit code $LASTEXITCODE)."
    }
    return $output
}

# New identities and role assignments take minutes to reach Entra ID and Key Vault.
function Invoke-AzWithRetries([string[]] $Arguments) {
    for ($attempt = 1; ; $attempt++) {
        try {
            return Invoke-Az $Arguments
        }
        catch {
            if ($attempt -ge 8) { throw }
            Write-Host "postprovision: not yet visible, retrying in 20 s ($attempt/7)..."
            Start-Sleep -Seconds 20
        }
    }
}

function Get-GraphArguments([string] $Method, [string] $Path) {
    return @('rest', '--method', $Method, '--url', "$script:GraphBase/v1.0/$Path", '--resource', $script:GraphBase)
}

# JSON bodies go through a file: Windows PowerShell mangles quotes in native arguments.
function Invoke-GraphPost([string] $Path, [hashtable] $Body) {
    $bodyFile = Join-Path $script:WorkDir 'body.json'
    [System.IO.File]::WriteAllText($bodyFile, ($Body | ConvertTo-Json -Compress), (New-Object System.Text.UTF8Encoding $false))
    try {
        $null = Invoke-Az ((Get-GraphArguments 'post' $Path) + @('--headers', 'Content-Type=application/json', '--body', "@$bodyFile", '-o', 'none'))
    }
    finally {
        Remove-Item -LiteralPath $bodyFile -Force -ErrorAction SilentlyContinue
    }
}

function Grant-GraphAppRole([string] $RoleValue) {
    $graphSp = Invoke-Az ((Get-GraphArguments 'get' "servicePrincipals(appId='$GraphAppId')?`$select=id") + @('--query', 'id', '-o', 'tsv'))
    $roleQuery = "appRoles[?value=='$RoleValue' && contains(allowedMemberTypes, 'Application')].id | [0]"
    $roleId = Invoke-Az ((Get-GraphArguments 'get' "servicePrincipals/$graphSp`?`$select=appRoles") + @('--query', $roleQuery, '-o', 'tsv'))
    if ([string]::IsNullOrEmpty($roleId)) { throw "postprovision: Microsoft Graph has no application permission $RoleValue in this tenant." }
    $grantedQuery = "length(value[?appRoleId=='$roleId' && resourceId=='$graphSp'])"
    $granted = Invoke-AzWithRetries ((Get-GraphArguments 'get' "servicePrincipals/$script:Identity/appRoleAssignments") + @('--query', $grantedQuery, '-o', 'tsv'))
    if ($granted -ne '0') {
        Write-Host "Graph: $RoleValue already granted to the managed identity."
        return
    }
    Invoke-GraphPost "servicePrincipals/$script:Identity/appRoleAssignments" @{ principalId = $script:Identity; resourceId = $graphSp; appRoleId = $roleId }
    Write-Host "Graph: granted $RoleValue to the managed identity."
}

# The same ids as infra/hooks/api-app-registration.sh, so both hooks leave one registration alike.
$ApiRoles = @(
    @{ id = '1e64d99b-40f6-47c6-99c7-d9fe4ba5d7ba'; value = 'PushProxy.Reader'; displayName = 'Push proxy reader'; description = 'Read tenants, runs and their step tables.' },
    @{ id = 'f5a1bd69-45bd-4508-8b69-873fe2e258d1'; value = 'PushProxy.Operator'; displayName = 'Push proxy operator'; description = 'Reader, and start onboardings, dry runs and re-verifications.' },
    @{ id = '740e5e60-7b16-4a66-bd4f-18e39740c6e2'; value = 'PushProxy.Administrator'; displayName = 'Push proxy administrator'; description = 'Operator, and re-bind tenants and change key targets.' }
)

function Invoke-GraphWrite([string] $Method, [string] $Path, [hashtable] $Body, [string[]] $Headers) {
    $bodyFile = Join-Path $script:WorkDir 'body.json'
    [System.IO.File]::WriteAllText($bodyFile, ($Body | ConvertTo-Json -Compress -Depth 6), (New-Object System.Text.UTF8Encoding $false))
    try {
        return Invoke-Az ((Get-GraphArguments $Method $Path) + @('--headers') + $Headers + @('--body', "@$bodyFile"))
    }
    finally {
        Remove-Item -LiteralPath $bodyFile -Force -ErrorAction SilentlyContinue
    }
}

# Upserts the API app registration (https://learn.microsoft.com/graph/api/application-upsert), its
# service principal with assignment required, PushProxy.Administrator for AZURE_PRINCIPAL_ID, and
# PPO_API_CLIENT_ID in the azd environment for the next azd provision.
function Set-ApiAppRegistration {
    $unique = "ppo-api-$(Get-RequiredSetting 'AZURE_ENV_NAME')"
    $roles = @($ApiRoles | ForEach-Object { $_ + @{ allowedMemberTypes = @('User', 'Application'); isEnabled = $true } })
    $app = @{ displayName = "push-proxy-orchestrator API ($env:AZURE_ENV_NAME)"; signInAudience = 'AzureADMyOrg'; appRoles = $roles; isFallbackPublicClient = $true; publicClient = @{ redirectUris = @('http://localhost') } }
    $null = Invoke-GraphWrite 'patch' "applications(uniqueName='$unique')" $app @('Content-Type=application/json', 'Prefer=create-if-missing')
    $appId = Invoke-AzWithRetries ((Get-GraphArguments 'get' "applications(uniqueName='$unique')?`$select=appId") + @('--query', 'appId', '-o', 'tsv'))
    $appObject = Invoke-Az ((Get-GraphArguments 'get' "applications(uniqueName='$unique')?`$select=id") + @('--query', 'id', '-o', 'tsv'))
    # A delegated scope so that the Azure CLI (ppo --sign-in cli) can be pre-authorized, in a second write once the scope exists.
    $scope = @{ id = '3c5b0a52-6f0e-4d1c-9a4b-2e7d8f1a6b90'; value = 'user_impersonation'; type = 'User'; isEnabled = $true; adminConsentDisplayName = 'Call the push proxy API'; adminConsentDescription = 'Call the push-proxy-orchestrator API as the signed-in user; app roles decide what the user may do.'; userConsentDisplayName = 'Call the push proxy API'; userConsentDescription = 'Call the push-proxy-orchestrator API as you.' }
    $null = Invoke-GraphWrite 'patch' "applications/$appObject" @{ identifierUris = @("api://$appId"); api = @{ requestedAccessTokenVersion = 2; oauth2PermissionScopes = @($scope) } } @('Content-Type=application/json')
    $null = Invoke-GraphWrite 'patch' "applications/$appObject" @{ api = @{ requestedAccessTokenVersion = 2; oauth2PermissionScopes = @($scope); preAuthorizedApplications = @(@{ appId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'; delegatedPermissionIds = @($scope.id) }) } } @('Content-Type=application/json')
    $sp = & az @((Get-GraphArguments 'get' "servicePrincipals(appId='$appId')?`$select=id") + @('--query', 'id', '-o', 'tsv')) 2>$null
    if ([string]::IsNullOrEmpty($sp)) {
        $sp = Invoke-GraphWrite 'post' 'servicePrincipals' @{ appId = $appId } @('Content-Type=application/json')
        $sp = ($sp | ConvertFrom-Json).id
    }
    $null = Invoke-GraphWrite 'patch' "servicePrincipals/$sp" @{ appRoleAssignmentRequired = $true } @('Content-Type=application/json')
    Write-Host "Entra ID: API app registration $appId (api://$appId) with its three app roles."
    $principal = Get-OptionalSetting 'AZURE_PRINCIPAL_ID' ''
    if ($principal -ne '') {
        $administrator = $ApiRoles[2].id
        $assigned = Invoke-AzWithRetries ((Get-GraphArguments 'get' "servicePrincipals/$sp/appRoleAssignedTo") + @('--query', "length(value[?principalId=='$principal' && appRoleId=='$administrator'])", '-o', 'tsv'))
        if ($assigned -eq '0') {
            Invoke-GraphPost "servicePrincipals/$sp/appRoleAssignedTo" @{ principalId = $principal; resourceId = $sp; appRoleId = $administrator }
            Write-Host 'Entra ID: you (AZURE_PRINCIPAL_ID) hold PushProxy.Administrator.'
        }
    }
    if ((Get-OptionalSetting 'PPO_API_CLIENT_ID' '') -ne $appId) {
        & azd env set PPO_API_CLIENT_ID $appId
        Write-Host "App Service authentication is not on yet: run 'azd provision' once more to turn it on with $appId. Until then the API refuses every caller."
    }
}

function Add-IdentityAsOwner([string] $AppId) {
    $appObjectId = Invoke-Az ((Get-GraphArguments 'get' "applications(appId='$AppId')?`$select=id") + @('--query', 'id', '-o', 'tsv'))
    $owned = Invoke-Az ((Get-GraphArguments 'get' "applications/$appObjectId/owners?`$select=id") + @('--query', "length(value[?id=='$script:Identity'])", '-o', 'tsv'))
    if ($owned -ne '0') {
        Write-Host "Graph: the managed identity already owns application $AppId."
        return
    }
    Invoke-GraphPost "applications/$appObjectId/owners/`$ref" @{ '@odata.id' = "$script:GraphBase/v1.0/directoryObjects/$script:Identity" }
    Write-Host "Graph: the managed identity now owns application $AppId."
}

function Grant-GraphPermission([string] $Permission) {
    switch ($Permission) {
        'ReadWriteAll' { Grant-GraphAppRole 'Application.ReadWrite.All' }
        'OwnedBy' {
            $appId = Get-OptionalSetting 'PPO_KEY_TARGET_APP_ID' ''
            if ($appId -eq '') { throw 'postprovision: PPO_GRAPH_PERMISSION=OwnedBy needs PPO_KEY_TARGET_APP_ID (appId of the dedicated application).' }
            Grant-GraphAppRole 'Application.ReadWrite.OwnedBy'
            Add-IdentityAsOwner $appId
        }
        'none' { Write-Host 'Graph: skipped (PPO_GRAPH_PERMISSION=none). An administrator must grant it: docs/permissions.md.' }
        default { throw "postprovision: PPO_GRAPH_PERMISSION must be ReadWriteAll, OwnedBy or none, not '$Permission'." }
    }
}

# 32 random bytes as 64 hex characters: safe in JSON, PowerShell and Key Vault alike.
function New-SharedSecret {
    $bytes = New-Object byte[] 32
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $rng.GetBytes($bytes) } finally { $rng.Dispose() }
    return (($bytes | ForEach-Object { $_.ToString('x2') }) -join '')
}

function Set-SharedSecret([string] $SecretName, [string[]] $Existing, [string[]] $Deleted) {
    if ($Existing -contains $SecretName) {
        Write-Host "Key Vault: $SecretName exists, kept."
    }
    elseif ($Deleted -contains $SecretName) {
        $null = Invoke-Az @('keyvault', 'secret', 'recover', '--vault-name', $script:Vault, '--name', $SecretName, '-o', 'none')
        Write-Host "Key Vault: $SecretName was soft-deleted, recovered."
    }
    else {
        # Through a private file, never a command-line argument (visible to other local users).
        $valueFile = Join-Path $script:WorkDir 'value'
        [System.IO.File]::WriteAllText($valueFile, (New-SharedSecret), (New-Object System.Text.UTF8Encoding $false))
        try {
            $null = Invoke-Az @('keyvault', 'secret', 'set', '--vault-name', $script:Vault, '--name', $SecretName,
                '--file', $valueFile, '--content-type', 'push-proxy agent shared secret', '-o', 'none')
        }
        finally {
            Remove-Item -LiteralPath $valueFile -Force -ErrorAction SilentlyContinue
        }
        Write-Host "Key Vault: $SecretName created."
    }
}

function Write-AgentInstructions([string] $HybridConnection, [string] $SecretName) {
    Write-Host ''
    Write-Host "Agent for hybrid connection '$HybridConnection':"
    Write-Host "  relay namespace   $script:RelayHost"
    Write-Host "  hybrid connection $HybridConnection"
    Write-Host "  Listen rule       $script:ListenRule"
    Write-Host "  Listen key        az relay hyco authorization-rule keys list --resource-group $script:ResourceGroup --namespace-name $script:RelayName --hybrid-connection-name $HybridConnection --name $script:ListenRule --query primaryKey -o tsv"
    Write-Host "  shared secret     az keyvault secret show --vault-name $script:Vault --name $SecretName --query value -o tsv"
    Write-Host 'Put both into the agent''s configuration file, then protect it with agent/install-service.ps1.'
}

$script:ResourceGroup = Get-RequiredSetting 'AZURE_RESOURCE_GROUP'
$script:Vault = Get-RequiredSetting 'AZURE_KEY_VAULT_NAME'
$script:Identity = Get-RequiredSetting 'AZURE_IDENTITY_PRINCIPAL_ID'
$script:RelayHost = Get-RequiredSetting 'PPO_RELAY_NAMESPACE'
$script:RelayName = Get-RequiredSetting 'PPO_RELAY_NAMESPACE_NAME'
$script:ListenRule = Get-RequiredSetting 'PPO_RELAY_LISTEN_RULE'
$prefix = Get-RequiredSetting 'PPO_AGENT_SECRET_PREFIX'
$cloud = Get-OptionalSetting 'PPO_CLOUD' 'global'
$permission = Get-OptionalSetting 'PPO_GRAPH_PERMISSION' 'ReadWriteAll'
if (-not $GraphBases.ContainsKey($cloud)) { throw "postprovision: PPO_CLOUD must be global, usGovHigh, usGovDoD or china, not '$cloud'." }
$script:GraphBase = $GraphBases[$cloud]
. (Join-Path $PSScriptRoot 'provider-app-registration.ps1')

$script:WorkDir = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString())
$null = New-Item -ItemType Directory -Path $script:WorkDir
if ([Environment]::OSVersion.Platform -ne [PlatformID]::Win32NT) { & chmod 700 $script:WorkDir }
try {
    try {
        Grant-GraphPermission $permission
        Set-ApiAppRegistration
        Set-ProviderAppRegistration $cloud
    }
    catch {
        Write-Warning ('postprovision: the Graph step failed. Granting an application permission needs Privileged Role Administrator ' +
            '(or Global Administrator) in Entra ID; making the identity an owner needs Application Administrator or an existing owner. ' +
            "Sign in as such and run 'azd hooks run postprovision', or set PPO_GRAPH_PERMISSION=none and follow docs/permissions.md.")
        throw
    }

    # The namespace's automatic RootManageSharedAccessKey (Manage, Send, Listen on every hybrid
    # connection) is needed by nothing: deleting it, or an absent rule (204), succeeds:
    # https://learn.microsoft.com/rest/api/relay/controlplane-stable/namespaces/delete-authorization-rule
    $null = Invoke-Az @('relay', 'namespace', 'authorization-rule', 'delete', '--resource-group', $script:ResourceGroup,
        '--namespace-name', $script:RelayName, '--name', 'RootManageSharedAccessKey', '-o', 'none')
    Write-Host 'Relay: RootManageSharedAccessKey deleted (or already absent).'

    $hybridConnections = @((Get-OptionalSetting 'PPO_HYBRID_CONNECTION_NAMES' '') -split ',' | Where-Object { $_ -ne '' })
    if ($hybridConnections.Count -eq 0) {
        Write-Host 'No hybrid connections yet: azd env set PPO_HYBRID_CONNECTIONS ''["contoso"]'', then azd provision.'
        return
    }
    foreach ($hc in $hybridConnections) {
        if ($hc -notmatch $SecretNamePattern) { throw "postprovision: hybrid connection '$hc': use letters, digits and hyphens only (it is part of a Key Vault secret name)." }
    }

    try {
        $existing = @(Invoke-AzWithRetries @('keyvault', 'secret', 'list', '--vault-name', $script:Vault, '--query', '[].name', '-o', 'tsv'))
    }
    catch {
        throw "postprovision: cannot list the secrets of $($script:Vault): the signed-in account needs Key Vault Secrets Officer on it (main.bicep grants it to AZURE_PRINCIPAL_ID)."
    }
    $deleted = @(Invoke-Az @('keyvault', 'secret', 'list-deleted', '--vault-name', $script:Vault, '--query', '[].name', '-o', 'tsv'))
    foreach ($hc in $hybridConnections) { Set-SharedSecret "$prefix$hc" $existing $deleted }
    foreach ($hc in $hybridConnections) { Write-AgentInstructions $hc "$prefix$hc" }
}
finally {
    Remove-Item -LiteralPath $script:WorkDir -Recurse -Force -ErrorAction SilentlyContinue
}
