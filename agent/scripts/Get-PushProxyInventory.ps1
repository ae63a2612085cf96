<#
    inventory: what the orchestrator decides from. Servers, organization, USERDNSDOMAIN, accepted
    domains, certificates per server (the article's filter is applied by the caller), AuthConfig,
    AuthServers and the push notification app.
#>
[CmdletBinding()]
param()

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$organization = Get-OrganizationConfig
$servers = @(Get-ExchangeServer)

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
            $certificates = @(Get-ExchangeCertificate -Server ([string]$server.Fqdn))
            $states = @(foreach ($certificate in $certificates) {
                    $der = ''
                    if ($null -ne $certificate.RawData) { $der = [System.Convert]::ToBase64String([byte[]]$certificate.RawData) }
                    @{
                        thumbprint           = [string]$certificate.Thumbprint
                        friendlyName         = [string]$certificate.FriendlyName
                        subject              = [string]$certificate.Subject
                        issuer               = [string]$certificate.Issuer
                        domains              = @($certificate.CertificateDomains | ForEach-Object { [string]$_ })
                        services             = ConvertTo-FlagList $certificate.Services
                        keySize              = [int]$certificate.PublicKeySize
                        notBefore            = ConvertTo-IsoUtc $certificate.NotBefore
                        notAfter             = ConvertTo-IsoUtc $certificate.NotAfter
                        hasPrivateKey        = [bool]$certificate.HasPrivateKey
                        privateKeyExportable = [bool]$certificate.PrivateKeyExportable
                        derBase64            = $der
                    }
                })
            @{ server = [string]$server.Name; reachable = $true; error = $null; certificates = $states }
        }
        catch {
            @{ server = [string]$server.Name; reachable = $false; error = $_.Exception.Message; certificates = @() }
        }
    })

$acceptedDomains = @(Get-AcceptedDomain | ForEach-Object {
        @{ domainName = [string]$_.DomainName; domainType = [string]$_.DomainType; isDefault = [bool]$_.Default }
    })

$authServers = @(Get-AuthServer | ForEach-Object {
        @{ name = [string]$_.Name; authMetadataUrl = ConvertTo-NullableText $_.AuthMetadataUrl; enabled = [bool]$_.Enabled; realm = ConvertTo-NullableText $_.Realm }
    })

$pushApp = $null
$app = Get-PushProxyApp
if ($null -ne $app) { $pushApp = ConvertTo-PushAppState $app }

@{
    organization        = @{ name = [string]$organization.Name; guid = [string]$organization.Guid }
    userDnsDomain       = ConvertTo-NullableText $env:USERDNSDOMAIN
    acceptedDomains     = $acceptedDomains
    servers             = $serverStates
    certificates        = $certificateStates
    authConfig          = ConvertTo-AuthConfigState (Get-AuthConfig)
    authServers         = $authServers
    pushNotificationApp = $pushApp
}
