# Helpers shared by the operation scripts (dot-sourced by each). Output shapes follow lib/protocol.
Set-StrictMode -Version 1.0

function ConvertTo-IsoUtc {
    param([object]$Value)
    if ($null -eq $Value -or [string]::IsNullOrEmpty([string]$Value)) { return $null }
    $date = [DateTime]$Value
    return $date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

function ConvertTo-NullableText {
    param([object]$Value)
    if ($null -eq $Value) { return $null }
    $text = [string]$Value
    if ($text.Length -eq 0) { return $null }
    return $text
}

# Flags such as AllowedServices or ServerRole: an enum locally, a string "IMAP, POP, SMTP" through remoting.
function ConvertTo-FlagList {
    param([object]$Value)
    if ($null -eq $Value) { return @() }
    return @(([string]$Value) -split ',\s*' | Where-Object { $_ -ne '' })
}

function ConvertTo-AuthConfigState {
    param([Parameter(Mandatory = $true)][object]$AuthConfig)
    return @{
        currentThumbprint  = ConvertTo-NullableText $AuthConfig.CurrentCertificateThumbprint
        nextThumbprint     = ConvertTo-NullableText $AuthConfig.NextCertificateThumbprint
        nextEffectiveDate  = ConvertTo-IsoUtc $AuthConfig.NextCertificateEffectiveDate
        previousThumbprint = ConvertTo-NullableText $AuthConfig.PreviousCertificateThumbprint
    }
}

function ConvertTo-PushAppState {
    param([Parameter(Mandatory = $true)][object]$App)
    return @{
        identity     = [string]$App.Identity
        displayName  = [string]$App.DisplayName
        enabled      = [bool]$App.Enabled
        organization = ConvertTo-NullableText $App.Organization
        uri          = ConvertTo-NullableText $App.Uri
    }
}

function Get-PushProxyApp {
    return Get-PushNotificationApp -Identity 'OnPrem-Proxy' -ErrorAction SilentlyContinue
}

# The article's default targets: every Mailbox (and, for certificates, Client Access) server.
function Get-TargetServer {
    param([string[]]$Names, [string]$RolePattern)
    if ($Names -and $Names.Count -gt 0) {
        return @($Names | ForEach-Object { Get-ExchangeServer -Identity $_ })
    }
    return @(Get-ExchangeServer | Where-Object { ([string]$_.ServerRole) -match $RolePattern })
}

function New-RandomPassword {
    $bytes = New-Object byte[] 24
    $generator = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $generator.GetBytes($bytes) } finally { $generator.Dispose() }
    return ConvertTo-SecureString -String ([System.Convert]::ToBase64String($bytes)) -AsPlainText -Force
}
