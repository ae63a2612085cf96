#Requires -Version 5.1
<#
.SYNOPSIS
    inventory: what the orchestrator decides from.

.DESCRIPTION
    Servers (Edge Transport servers left out: they cannot be managed from inside the organization),
    organization, the DNS domain of the organization for the article's certificate (reported as
    userDnsDomain: the computer domain of the Exchange server the session runs on), accepted
    domains, certificates per server (the article's filter is applied by the caller), AuthConfig,
    AuthServers and the push notification app. Every Exchange call states -ErrorAction Stop: in a
    remote session the imported commands do not see this script's $ErrorActionPreference.
#>
[CmdletBinding()]
param()

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$organization = Get-OrganizationConfig -ErrorAction Stop
$allServers = @(Get-ExchangeServer -ErrorAction Stop)
$servers = @($allServers | Where-Object { -not (Test-EdgeServer $_) })
foreach ($edge in @($allServers | Where-Object { Test-EdgeServer $_ })) {
    Write-Warning "Edge Transport server $([string]$edge.Name) left out: it cannot be managed from inside the organization."
}

$serverStates = @(foreach ($server in $servers) {
        $site = $null
        if ($server.Site) { $site = ([string]$server.Site).Split('/')[-1] }
        @{
            name                = [string]$server.Name
            fqdn                = [string]$server.Fqdn
            roles               = ConvertTo-FlagList $server.ServerRole
            site                = $site
            adminDisplayVersion = [string]$server.AdminDisplayVersion
        }
    })

$certificateStates = @(foreach ($server in $servers) {
        try {
            $certificates = @(Get-ExchangeCertificate -Server ([string]$server.Fqdn) -ErrorAction Stop)
            $rebuilt = 0
            $states = @(foreach ($certificate in $certificates) {
                    $state = ConvertTo-CertificateState $certificate
                    if ($state.rebuilt) { $rebuilt++ }
                    $state.Remove('rebuilt')
                    $state
                })
            if ($rebuilt -gt 0) {
                Write-Warning "$rebuilt certificates of $([string]$server.Name) arrived with RawData only (serialized data signed with an expired or missing Auth certificate); they were rebuilt from RawData, and their Services, FriendlyName and private key are unknown."
            }
            @{ server = [string]$server.Name; reachable = $true; error = $null; certificates = $states }
        }
        catch {
            @{ server = [string]$server.Name; reachable = $false; error = $_.Exception.Message; certificates = @() }
        }
    })

$acceptedDomains = @(Get-AcceptedDomain -ErrorAction Stop | ForEach-Object {
        @{ domainName = [string]$_.DomainName; domainType = [string]$_.DomainType; isDefault = [bool]$_.Default }
    })

$authServers = @(Get-AuthServer -ErrorAction Stop | ForEach-Object {
        @{
            name = [string]$_.Name; authMetadataUrl = ConvertTo-NullableText $_.AuthMetadataUrl; enabled = [bool]$_.Enabled; realm = ConvertTo-NullableText $_.Realm
            type = ConvertTo-NullableText $_.Type; applicationIdentifier = ConvertTo-NullableText $_.ApplicationIdentifier
        }
    })

$pushApp = $null
$app = Get-PushProxyApp
if ($null -ne $app) { $pushApp = ConvertTo-PushAppState $app }

@{
    organization        = @{ name = [string]$organization.Name; guid = [string]$organization.Guid }
    userDnsDomain       = Get-OrganizationDnsDomain
    acceptedDomains     = $acceptedDomains
    servers             = $serverStates
    certificates        = $certificateStates
    authConfig          = ConvertTo-AuthConfigState (Get-AuthConfig -ErrorAction Stop)
    authServers         = $authServers
    pushNotificationApp = $pushApp
}
