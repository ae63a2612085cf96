#Requires -Version 5.1
<#
    setAuthConfig: the article's Set-AuthConfig -CertificateThumbprint when the certificate is not
    already current, and the rotation steps: stage the next certificate with its effective date,
    publish it, clear the previous one. Each step changes nothing when it is already done.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidateSet('setCurrent', 'stageNext', 'publish', 'clearPrevious')][string]$Action,
    [ValidatePattern('^[0-9A-Fa-f]{40}$')][string]$Thumbprint,
    [string]$EffectiveDate
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$config = Get-AuthConfig -ErrorAction Stop
$changed = $false

switch ($Action) {
    'setCurrent' {
        if ([string]$config.CurrentCertificateThumbprint -ne $Thumbprint) {
            # -Force: no confirmation prompt in an unattended host (Set-AuthConfig reference: -Force hides warning or
            # confirmation messages); CSS-Exchange New-ExchangeAuthCertificate.ps1 passes Force too.
            Set-AuthConfig -CertificateThumbprint $Thumbprint -Force -Confirm:$false -ErrorAction Stop
            $changed = $true
        }
    }
    'stageNext' {
        $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
        $effective = [DateTime]::Parse($EffectiveDate, [System.Globalization.CultureInfo]::InvariantCulture, $styles)
        $sameDate = ($null -ne $config.NextCertificateEffectiveDate) -and ((ConvertTo-IsoUtc $config.NextCertificateEffectiveDate) -eq (ConvertTo-IsoUtc $effective))
        if ([string]$config.NextCertificateThumbprint -ne $Thumbprint -or -not $sameDate) {
            Set-AuthConfig -NewCertificateThumbprint $Thumbprint -NewCertificateEffectiveDate $effective -Force -Confirm:$false -ErrorAction Stop
            $changed = $true
        }
    }
    'publish' {
        if ([string]$config.NextCertificateThumbprint -eq $Thumbprint) {
            Set-AuthConfig -PublishCertificate -Confirm:$false -ErrorAction Stop
            $changed = $true
        }
        elseif ([string]$config.CurrentCertificateThumbprint -ne $Thumbprint) {
            throw "Certificate $Thumbprint is not the next AuthConfig certificate; stage it before publishing."
        }
    }
    'clearPrevious' {
        if (-not [string]::IsNullOrEmpty([string]$config.PreviousCertificateThumbprint)) {
            Set-AuthConfig -ClearPreviousCertificate -Confirm:$false -ErrorAction Stop
            $changed = $true
        }
    }
}

@{ action = $Action; changed = $changed; authConfig = ConvertTo-AuthConfigState (Get-AuthConfig -ErrorAction Stop) }
