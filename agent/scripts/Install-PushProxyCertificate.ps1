#Requires -Version 5.1
<#
    installCertificate: makes the certificate present, with its private key, on every target server
    that lacks it, and reports per server. The certificate comes either as a PFX from the cloud
    (unsealed by the agent, 3DES, fresh password) or from a server on premises that holds it with an
    exportable key (Export-ExchangeCertificate there, Import-ExchangeCertificate on the others): the
    private key never leaves the organization.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidatePattern('^[0-9A-Fa-f]{40}$')][string]$Thumbprint,
    [string[]]$Servers,
    [string]$PfxBase64,
    [string]$PfxPassword,
    [string]$SourceServer,
    [bool]$PrivateKeyExportable = $true
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'
$Thumbprint = $Thumbprint.ToUpperInvariant()

$fromPfx = -not [string]::IsNullOrEmpty($PfxBase64)
if ($fromPfx -eq (-not [string]::IsNullOrEmpty($SourceServer))) { throw 'Give either PfxBase64 with PfxPassword, or SourceServer.' }

$fileData = $null
$password = $null
if ($fromPfx) {
    $fileData = [System.Convert]::FromBase64String($PfxBase64)
    $password = ConvertTo-SecureString -String $PfxPassword -AsPlainText -Force
    # Open the PFX here first: a wrong password or another certificate fails the whole call.
    # MachineKeySet: the agent runs as a service account whose user key set may not be loaded (DefaultKeySet
    # means the user key set; X509KeyStorageFlags reference). Microsoft's own import of an Auth certificate
    # uses MachineKeySet too (CSS-Exchange Shared/CertificateFunctions/New-ExchangeSelfSignedCertificate.ps1);
    # without PersistKeySet the key container is removed again when the object is reset: this open only checks.
    $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::MachineKeySet
    $opened = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList @($fileData, $password, $flags)
    try { $pfxThumbprint = $opened.Thumbprint } finally { $opened.Reset() }
    if ($pfxThumbprint -ne $Thumbprint) { throw "The PFX holds certificate $pfxThumbprint, not $Thumbprint." }
}

$targets = Get-TargetServer -Names $Servers -RolePattern 'Mailbox|ClientAccess'

# First pass: where is it already? Only the others get an import.
$plan = @(foreach ($server in $targets) {
        $name = [string]$server.Name
        try {
            # Listed then filtered: "-Thumbprint ... -ErrorAction SilentlyContinue" read an unreachable server as "missing".
            $present = @(Get-ExchangeCertificate -Server ([string]$server.Fqdn) -ErrorAction Stop | Where-Object { (ConvertTo-CertificateState $_).thumbprint -eq $Thumbprint }) | Select-Object -First 1
            if ($null -eq $present) { @{ server = $server; state = 'missing'; error = $null } }
            elseif ([string]::IsNullOrEmpty([string]$present.Thumbprint)) {
                # Rebuilt from RawData: Exchange holds it, whether with its key is unknown; importing again would fail.
                Write-Warning "Certificate $Thumbprint on $name arrived with RawData only; it is taken as present with its private key."
                @{ server = $server; state = 'alreadyPresent'; error = $null }
            }
            elseif ([bool]$present.HasPrivateKey) { @{ server = $server; state = 'alreadyPresent'; error = $null } }
            else { @{ server = $server; state = 'failed'; error = "Certificate $Thumbprint is on $name without its private key; remove it there first." } }
        }
        catch {
            @{ server = $server; state = 'failed'; error = $_.Exception.Message }
        }
    })

$needsImport = @($plan | Where-Object { $_.state -eq 'missing' })
if ($needsImport.Count -gt 0 -and -not $fromPfx) {
    $password = New-RandomPassword
    $exported = Export-ExchangeCertificate -Thumbprint $Thumbprint -Server $SourceServer -BinaryEncoded:$true -Password $password -Confirm:$false -ErrorAction Stop
    $fileData = [byte[]]$exported.FileData
}

$outcomes = @(foreach ($entry in $plan) {
        $name = [string]$entry.server.Name
        if ($entry.state -ne 'missing') {
            @{ server = $name; outcome = $entry.state; error = $entry.error }
            continue
        }
        try {
            $null = Import-ExchangeCertificate -Server ([string]$entry.server.Fqdn) -FileData $fileData -Password $password -PrivateKeyExportable $PrivateKeyExportable -Confirm:$false -ErrorAction Stop
            # An import enables no service (Services None), and the article's filter wants Services -ge SMTP: enable Federation,
            # as the article's own New-ExchangeCertificate -Services Federation does (Federation is 32, above SMTP's 16).
            # Federation, unlike SMTP, does not take over the server's default TLS certificate.
            $null = Enable-ExchangeCertificate -Server ([string]$entry.server.Fqdn) -Thumbprint $Thumbprint -Services Federation -Confirm:$false -ErrorAction Stop
            @{ server = $name; outcome = 'imported'; error = $null }
        }
        catch {
            @{ server = $name; outcome = 'failed'; error = $_.Exception.Message }
        }
    })

@{ thumbprint = $Thumbprint; servers = $outcomes }
