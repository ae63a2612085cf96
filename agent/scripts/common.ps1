#Requires -Version 5.1
# Helpers shared by the operation scripts (dot-sourced by each). Output shapes follow lib/protocol.
# Windows PowerShell 5.1 is what Exchange servers run: no syntax or parameter newer than it.
# Strict mode 1.0, not 2.0: 2.0 throws on reading a property an object lacks, and objects from a
# remote session (Import-PSSession) lack many (a certificate may arrive with RawData only).
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
# The unary comma returns the array itself: PowerShell would otherwise enumerate it, so that one flag
# came back as a bare string and none as $null.
function ConvertTo-FlagList {
    param([object]$Value)
    $names = New-Object 'System.Collections.Generic.List[string]'
    if ($null -ne $Value) {
        foreach ($name in (([string]$Value) -split ',\s*')) { if ($name -ne '') { $names.Add($name) } }
    }
    return , $names.ToArray()
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

# Listed then filtered: "-Identity ... -ErrorAction SilentlyContinue" turned every failure into "absent".
function Get-PushProxyApp {
    return @(Get-PushNotificationApp -ErrorAction Stop | Where-Object { ([string]$_.Identity) -eq 'OnPrem-Proxy' -or ([string]$_.Name) -eq 'OnPrem-Proxy' }) | Select-Object -First 1
}

# Edge Transport servers sit outside the forest and cannot be managed from the organization;
# Microsoft's hybrid tooling leaves them out as well.
function Test-EdgeServer {
    param([Parameter(Mandatory = $true)][object]$Server)
    return ([string]$Server.ServerRole) -match 'Edge'
}

# The article's default targets: every Mailbox (and, for certificates, Client Access) server.
function Get-TargetServer {
    param([string[]]$Names, [string]$RolePattern)
    if ($Names -and $Names.Count -gt 0) {
        return @($Names | ForEach-Object { Get-ExchangeServer -Identity $_ -ErrorAction Stop })
    }
    return @(Get-ExchangeServer -ErrorAction Stop | Where-Object { ([string]$_.ServerRole) -match $RolePattern -and -not (Test-EdgeServer $_) })
}

# The server the Exchange session runs on: host.ps1 sets $PushProxyConnectedServer (the local
# computer with the snap-in, the ConnectionUri's host in a remote session).
function Get-ConnectedServerName {
    $name = Get-Variable -Name 'PushProxyConnectedServer' -ValueOnly -ErrorAction SilentlyContinue
    if ([string]::IsNullOrEmpty([string]$name)) { $name = $env:COMPUTERNAME }
    return [string]$name
}

# The DNS domain the certificate is for: the article's USERDNSDOMAIN, taken from the organization
# (the computer domain of the Exchange server the session runs on), which is always there, rather
# than from the agent's account, which may have none or belong to another domain.
function Get-OrganizationDnsDomain {
    $name = Get-ConnectedServerName
    $server = @(Get-ExchangeServer -Identity $name -ErrorAction Stop) | Select-Object -First 1
    $domain = [string]$server.Domain
    if ([string]::IsNullOrEmpty($domain)) {
        $fqdn = [string]$server.Fqdn
        if ($fqdn.Contains('.')) { $domain = $fqdn.Substring($fqdn.IndexOf('.') + 1) }
    }
    if ([string]::IsNullOrEmpty($domain)) { return $null }
    return $domain
}

# The dNSName entries of a subjectAltName extension (RFC 5280 4.2.1.6: a SEQUENCE of GeneralName,
# dNSName being [2] IA5String), read from its DER: Format() is localized and differs by platform.
function Get-SubjectAlternativeDnsName {
    param([byte[]]$Der)
    $names = New-Object 'System.Collections.Generic.List[string]'
    if ($null -eq $Der -or $Der.Length -lt 2 -or $Der[0] -ne 0x30) { return , $names.ToArray() }
    $read = {
        param([int]$At)
        $length = [int]$Der[$At + 1]
        $header = 2
        if ($length -ge 0x80) {
            $count = $length - 0x80
            $length = 0
            for ($i = 0; $i -lt $count; $i++) { $length = ($length * 256) + [int]$Der[$At + 2 + $i] }
            $header = 2 + $count
        }
        return @($header, $length)
    }
    $outer = & $read 0
    $position = $outer[0]
    $end = $outer[0] + $outer[1]
    while ($position -lt $end -and $position -lt $Der.Length) {
        $element = & $read $position
        if ($Der[$position] -eq 0x82) { $names.Add([System.Text.Encoding]::ASCII.GetString($Der, $position + $element[0], $element[1])) }
        $position = $position + $element[0] + $element[1]
    }
    return , $names.ToArray()
}

# One certificate as the inventory reports it. A certificate whose Thumbprint did not survive
# deserialization (Exchange 2016/2019 sign serialized data with the Auth certificate; once it has
# expired the client gets RawData only) is rebuilt from RawData, as CSS-Exchange's
# Shared/CertificateFunctions/Import-ExchangeCertificateFromRawData.ps1 does. What only Exchange
# knows (Services, FriendlyName, HasPrivateKey, PrivateKeyExportable) is then unknown: reported as
# none/empty/false, and `rebuilt` says so.
# Where a certificate's private key is: 'csp', 'cng' or 'unknown'. In .NET Framework, X509Certificate2.PrivateKey
# gives a CryptoAPI key (RSACryptoServiceProvider, with CspKeyContainerInfo) and throws NTE_BAD_PROV_TYPE
# (0x80090014, "Invalid provider type specified") for a CNG key; Exchange signs the Auth certificate's tokens only
# with a CSP key (CSS-Exchange New-ExchangeAuthCertificate.ps1: UseRSACryptoServiceProvider). PowerShell turns an
# exception of a property getter into $null, so a key that is there but reads as $null is a CNG key. A deserialized
# object (remote session) carries no usable key: unknown.
function Get-CertificateKeyStorage {
    param([Parameter(Mandatory = $true)][object]$Certificate)
    if (-not [bool]$Certificate.HasPrivateKey -or $null -eq $Certificate.PSObject.Properties['PrivateKey']) { return 'unknown' }
    if (@($Certificate.PSObject.TypeNames | Where-Object { $_ -like 'Deserialized.*' }).Count -gt 0) { return 'unknown' }
    try {
        $key = $Certificate.PrivateKey
        if ($null -eq $key) { return 'cng' }
    }
    catch {
        $badProviderType = -2146893804
        $failure = $_.Exception
        while ($null -ne $failure) {
            if ($failure.HResult -eq $badProviderType) { return 'cng' }
            $failure = $failure.InnerException
        }
        return 'unknown'
    }
    if ($null -ne $key -and $null -ne $key.CspKeyContainerInfo) { return 'csp' }
    return 'unknown'
}

function ConvertTo-CertificateState {
    param([Parameter(Mandatory = $true)][object]$Certificate)
    $raw = $null
    if ($null -ne $Certificate.RawData) { $raw = [byte[]]$Certificate.RawData }
    if (-not [string]::IsNullOrEmpty([string]$Certificate.Thumbprint)) {
        $der = ''
        if ($null -ne $raw) { $der = [System.Convert]::ToBase64String($raw) }
        return @{
            thumbprint           = ([string]$Certificate.Thumbprint).ToUpperInvariant()
            friendlyName         = [string]$Certificate.FriendlyName
            subject              = [string]$Certificate.Subject
            issuer               = [string]$Certificate.Issuer
            domains              = @($Certificate.CertificateDomains | ForEach-Object { [string]$_ })
            services             = ConvertTo-FlagList $Certificate.Services
            keySize              = [int]$Certificate.PublicKeySize
            notBefore            = ConvertTo-IsoUtc $Certificate.NotBefore
            notAfter             = ConvertTo-IsoUtc $Certificate.NotAfter
            hasPrivateKey        = [bool]$Certificate.HasPrivateKey
            privateKeyExportable = [bool]$Certificate.PrivateKeyExportable
            keyStorage           = Get-CertificateKeyStorage $Certificate
            derBase64            = $der
            rebuilt              = $false
        }
    }
    if ($null -eq $raw) { throw 'Get-ExchangeCertificate returned a certificate with neither Thumbprint nor RawData.' }
    $x509 = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList @(, $raw)
    try {
        $keySize = 0
        # The modulus length: KeySize reads as write-only through PowerShell's adapter on some platforms.
        try { $keySize = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPublicKey($x509).ExportParameters($false).Modulus.Length * 8 } catch { $keySize = 0 }
        $san = @($x509.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }) | Select-Object -First 1
        $domains = @()
        if ($null -ne $san) { $domains = Get-SubjectAlternativeDnsName -Der $san.RawData }
        return @{
            thumbprint           = $x509.Thumbprint.ToUpperInvariant()
            friendlyName         = ''
            subject              = $x509.Subject
            issuer               = $x509.Issuer
            domains              = @($domains)
            services             = @()
            keySize              = [int]$keySize
            notBefore            = ConvertTo-IsoUtc $x509.NotBefore
            notAfter             = ConvertTo-IsoUtc $x509.NotAfter
            hasPrivateKey        = $false
            privateKeyExportable = $false
            derBase64            = [System.Convert]::ToBase64String($raw)
            rebuilt              = $true
        }
    }
    finally { $x509.Reset() }
}

function New-RandomPassword {
    $bytes = New-Object byte[] 24
    $generator = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $generator.GetBytes($bytes) } finally { $generator.Dispose() }
    return ConvertTo-SecureString -String ([System.Convert]::ToBase64String($bytes)) -AsPlainText -Force
}

<#
    Runs $ScriptBlock on every target server at once, through PowerShell remoting, and reports per
    server. Invoke-Command -ComputerName with several computers runs them concurrently, at most
    -ThrottleLimit at a time, 32 by default (learn.microsoft.com/powershell/module/microsoft.powershell.core/
    invoke-command?view=powershell-5.1, -ThrottleLimit and -ComputerName; about_Remote, "run commands on
    many computers"), so the call takes as long as the slowest server of each wave of 32, not the sum
    of all servers. A server's failure is a non-terminating error record that does not stop the others:
    collected with -ErrorVariable and matched to its server by OriginInfo.PSComputerName (an error
    the block raised there, about_Remote_Output) or by the computer named in the record (the session
    could not be opened). Each answer carries PSComputerName (about_Remote_Output), which is how a
    server that succeeded is told apart: the block must output one object (not a bare string,
    whose added properties PowerShell may drop) when it is done.
#>
function Invoke-OnEachServer {
    param(
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets,
        [Parameter(Mandatory = $true)][scriptblock]$ScriptBlock,
        [object[]]$ArgumentList = @(),
        [ValidateRange(1, 256)][int]$ThrottleLimit = 32
    )
    if ($Targets.Count -eq 0) { return @() }
    $computers = @($Targets | ForEach-Object { [string]$_.Fqdn })
    $remoteErrors = @()
    $remote = @{
        ComputerName  = $computers
        ScriptBlock   = $ScriptBlock
        ArgumentList  = $ArgumentList
        ThrottleLimit = $ThrottleLimit
        ErrorAction   = 'SilentlyContinue'
        ErrorVariable = 'remoteErrors'
    }
    $answers = @(Invoke-Command @remote)
    $finishedAt = ConvertTo-IsoUtc (Get-Date)
    $answered = @{}
    foreach ($answer in $answers) { if ($null -ne $answer) { $answered[[string]$answer.PSComputerName] = $true } }
    foreach ($server in $Targets) {
        $fqdn = [string]$server.Fqdn
        if ($answered.ContainsKey($fqdn)) {
            @{ server = [string]$server.Name; restarted = $true; restartedAt = $finishedAt; error = $null }
            continue
        }
        $record = @($remoteErrors | Where-Object { (Get-ErrorComputer $_) -eq $fqdn }) | Select-Object -First 1
        $message = "No answer from $fqdn."
        if ($null -ne $record) { $message = $record.Exception.Message }
        @{ server = [string]$server.Name; restarted = $false; restartedAt = $null; error = $message }
    }
}

# The computer an error record of Invoke-Command is about: where the block failed (OriginInfo), or
# the computer whose session could not be opened (named in the record's target or its message).
function Get-ErrorComputer {
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record)
    $origin = $Record.PSObject.Properties['OriginInfo']
    if ($null -ne $origin -and $null -ne $origin.Value) { return [string]$origin.Value.PSComputerName }
    if ($Record.TargetObject -is [string]) { return [string]$Record.TargetObject }
    $match = [regex]::Match($Record.ToString(), 'remote server (\S+) failed')
    if ($match.Success) { return $match.Groups[1].Value }
    return $null
}
