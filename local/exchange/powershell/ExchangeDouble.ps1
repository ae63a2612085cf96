#Requires -Version 5.1
<#
.SYNOPSIS
    The Exchange cmdlet double: the cmdlets the agent's scripts call, with the parameter sets,
    parameter types and mandatory flags of the Exchange cmdlet reference
    (https://learn.microsoft.com/powershell/module/exchange/<cmdlet>), returning Exchange's object
    shapes, and failing the way Exchange fails (non-terminating error records).

.DESCRIPTION
    Test and demo code only: it never ships in the agent bundle (scripts/build-agent.mjs copies
    agent/scripts only). Its state is the simulated organization of local/exchange: every call is
    posted, with its bound parameters, to the loopback channel the test opened
    (double-channel.ts), so the probe computed from that world stays the judge.

    How it is loaded (Start-ExchangeDoubleHost.ps1) decides how it behaves, as Exchange does:
    - SnapIn: dot-sourced by Add-PSSnapin outside any module. The functions are global and not bound
      to a module, so they see the caller's preference variables ($ErrorActionPreference,
      $ConfirmPreference), as the snap-in's compiled cmdlets do; objects are typed (flags enums,
      DateTime, byte[] RawData).
    - Remote: dot-sourced inside the module Import-PSSession creates. Like the proxy functions of
      an imported session they do not see the caller's script-scope preferences (PowerShell issue
      #4568), and objects come through PowerShell's serializer (PSSerializer round trip):
      enums as strings, Deserialized.* type names.

    Every function is declared `global:` so that Add-PSSnapin (a function) can install them.
#>

# Flags enums with Exchange's type names and flag names: ServerRole (Get-ExchangeServer) and
# AllowedServices (Get-ExchangeCertificate Services: "None, Federation, IIS, IMAP, POP, SMTP, UM and
# UMCallRouter", learn.microsoft.com/powershell/module/exchange/get-exchangecertificate). Built with
# Reflection.Emit, once per process: no compiler needed, the same in Windows PowerShell 5.1 and 7.
if ($null -eq $global:ExchangeDoubleTypes) {
    $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly((New-Object System.Reflection.AssemblyName -ArgumentList 'ExchangeDoubleTypes'), [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
    $module = $assembly.DefineDynamicModule('ExchangeDoubleTypes')
    $flags = New-Object System.Reflection.Emit.CustomAttributeBuilder -ArgumentList @([System.FlagsAttribute].GetConstructor([Type[]]@()), [object[]]@())
    $definitions = [ordered]@{
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole'  = [ordered]@{ None = 0; Mailbox = 2; ClientAccess = 4; UnifiedMessaging = 16; HubTransport = 32; Edge = 64 }
        'Microsoft.Exchange.Management.SystemConfigurationTasks.AllowedServices' = [ordered]@{ None = 0; IMAP = 1; POP = 2; UM = 4; IIS = 8; SMTP = 16; Federation = 32; UMCallRouter = 64 }
    }
    $built = @{}
    foreach ($typeName in $definitions.Keys) {
        $enum = $module.DefineEnum($typeName, [System.Reflection.TypeAttributes]::Public, [int])
        $enum.SetCustomAttribute($flags)
        foreach ($literal in $definitions[$typeName].Keys) { $null = $enum.DefineLiteral($literal, [int]$definitions[$typeName][$literal]) }
        $built[$typeName.Split('.')[-1]] = $enum.CreateTypeInfo().AsType()
    }
    $global:ExchangeDoubleTypes = $built
}

function global:ConvertTo-ExchangeDoubleFlags {
    param([Type]$Type, [object[]]$Names)
    $sum = 0
    foreach ($name in @($Names)) { if ($null -ne $name) { $sum = $sum -bor [int][Enum]::Parse($Type, [string]$name) } }
    return [Enum]::ToObject($Type, $sum)
}

# AdminDisplayVersion is a ServerVersion object in the snap-in; its text is "Version 15.0 (Build 1497.2)".
class ExchangeDoubleServerVersion {
    [int]$Major
    [int]$Minor
    [int]$Build
    [int]$Revision
    [string]$Text
    [string] ToString() { return $this.Text }
}

function global:ConvertTo-ExchangeDoubleWire {
    param([object]$Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Security.SecureString]) { return (New-Object System.Net.NetworkCredential -ArgumentList @('', $Value)).Password }
    if ($Value -is [byte[]]) { return [System.Convert]::ToBase64String($Value) }
    if ($Value -is [DateTime]) { return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) { return @($Value | ForEach-Object { ConvertTo-ExchangeDoubleWire $_ }) }
    return $Value
}

function global:ConvertTo-ExchangeDoubleDate {
    param([object]$Iso)
    if ($null -eq $Iso -or [string]::IsNullOrEmpty([string]$Iso)) { return $null }
    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    # Exchange returns local DateTime values (what X509Certificate2.NotAfter gives on the server).
    return [DateTime]::Parse([string]$Iso, [System.Globalization.CultureInfo]::InvariantCulture, $styles).ToLocalTime()
}

function global:New-ExchangeDoubleObject {
    param([string]$TypeName, [System.Collections.IDictionary]$Properties)
    $object = New-Object PSObject -Property $Properties
    $object.PSObject.TypeNames.Insert(0, $TypeName)
    return $object
}

# Builds the object the cmdlet returns in the snap-in, from the organization's plain answer.
function global:ConvertTo-ExchangeDoubleShape {
    param([string]$Cmdlet, [object]$Item)
    switch ($Cmdlet) {
        'Get-OrganizationConfig' {
            $dn = "CN=$($Item.name),CN=Microsoft Exchange,CN=Services,CN=Configuration"
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.Management.OrganizationConfig' ([ordered]@{
                    Name = [string]$Item.name; Guid = [Guid][string]$Item.guid; Identity = [string]$Item.name; DistinguishedName = $dn
                })
        }
        'Get-AcceptedDomain' {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain' ([ordered]@{
                    Name = [string]$Item.name; DomainName = [string]$Item.domainName; DomainType = [string]$Item.domainType; Default = [bool]$Item.isDefault
                })
        }
        'Get-ExchangeServer' {
            $role = ConvertTo-ExchangeDoubleFlags $global:ExchangeDoubleTypes.ServerRole @($Item.roles)
            $match = [regex]::Match([string]$Item.adminDisplayVersion, 'Version (\d+)\.(\d+) \(Build (\d+)\.(\d+)\)')
            $version = New-Object ExchangeDoubleServerVersion
            $version.Text = [string]$Item.adminDisplayVersion
            if ($match.Success) {
                $version.Major = [int]$match.Groups[1].Value; $version.Minor = [int]$match.Groups[2].Value
                $version.Build = [int]$match.Groups[3].Value; $version.Revision = [int]$match.Groups[4].Value
            }
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer' ([ordered]@{
                    Name = [string]$Item.name; Fqdn = [string]$Item.fqdn; Domain = [string]$Item.domain; ServerRole = $role
                    Site = [string]$Item.site; AdminDisplayVersion = $version
                    IsEdgeServer = [bool]([int]$role -band 64)
                    IsMailboxServer = [bool]([int]$role -band 2)
                    IsClientAccessServer = [bool]([int]$role -band 4)
                })
        }
        { $_ -in @('Get-ExchangeCertificate', 'Import-ExchangeCertificate') } {
            $services = ConvertTo-ExchangeDoubleFlags $global:ExchangeDoubleTypes.AllowedServices @($Item.services)
            $domains = New-Object 'System.Collections.Generic.List[string]'
            foreach ($domain in @($Item.domains)) { $domains.Add([string]$domain) }
            $shaped = New-ExchangeDoubleObject 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate' ([ordered]@{
                    Thumbprint = [string]$Item.thumbprint; FriendlyName = [string]$Item.friendlyName
                    Subject = [string]$Item.subject; Issuer = [string]$Item.issuer
                    CertificateDomains = $domains; Services = $services
                    NotBefore = ConvertTo-ExchangeDoubleDate $Item.notBefore; NotAfter = ConvertTo-ExchangeDoubleDate $Item.notAfter
                    HasPrivateKey = [bool]$Item.hasPrivateKey; PrivateKeyExportable = [bool]$Item.privateKeyExportable
                    PublicKeySize = [int]$Item.keySize; IsSelfSigned = ([string]$Item.subject -eq [string]$Item.issuer)
                    RawData = [System.Convert]::FromBase64String([string]$Item.derBase64); Status = 'Valid'
                })
            # X509Certificate2.PrivateKey in .NET Framework: the CryptoAPI key with its container information, or, for a
            # CNG key, CryptographicException NTE_BAD_PROV_TYPE (0x80090014, "Invalid provider type specified"), which
            # PowerShell's member access turns into $null as it does for any property getter that throws.
            # Only the snap-in's live objects have it; a remote session's deserialized ones carry no key.
            if ($global:ExchangeDoubleSettings.Mode -eq 'SnapIn' -and [bool]$Item.hasPrivateKey) {
                if ([string]$Item.keyStorage -eq 'csp') {
                    $container = New-Object PSObject -Property ([ordered]@{ ProviderName = 'Microsoft Enhanced RSA and AES Cryptographic Provider'; ProviderType = 24 })
                    $key = New-Object PSObject -Property ([ordered]@{ CspKeyContainerInfo = $container; KeySize = [int]$Item.keySize })
                    Add-Member -InputObject $shaped -NotePropertyName PrivateKey -NotePropertyValue $key
                }
                elseif ([string]$Item.keyStorage -eq 'cng') {
                    Add-Member -InputObject $shaped -MemberType ScriptProperty -Name PrivateKey -Value { throw (New-Object System.Security.Cryptography.CryptographicException -ArgumentList @([int]-2146893804)) }
                }
            }
            return $shaped
        }
        'Export-ExchangeCertificate' {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.BinaryFileDataObject' ([ordered]@{ FileData = [System.Convert]::FromBase64String([string]$Item.fileData) })
        }
        'Get-AuthConfig' {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig' ([ordered]@{
                    Name = 'Auth Configuration'; CurrentCertificateThumbprint = [string]$Item.currentCertificateThumbprint
                    PreviousCertificateThumbprint = [string]$Item.previousCertificateThumbprint
                    NextCertificateThumbprint = [string]$Item.nextCertificateThumbprint
                    NextCertificateEffectiveDate = ConvertTo-ExchangeDoubleDate $Item.nextCertificateEffectiveDate
                    ServiceName = [string]$Item.serviceName; Realm = ''
                })
        }
        { $_ -in @('Get-AuthServer', 'New-AuthServer') } {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer' ([ordered]@{
                    Name = [string]$Item.name; AuthMetadataUrl = [string]$Item.authMetadataUrl; Enabled = [bool]$Item.enabled; Realm = [string]$Item.realm; Type = [string]$Item.type; ApplicationIdentifier = [string]$Item.applicationIdentifier
                })
        }
        { $_ -in @('Get-PushNotificationApp', 'Enable-PushNotificationProxy') } {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Data.Directory.SystemConfiguration.PushNotificationApp' ([ordered]@{
                    Identity = [string]$Item.identity; DisplayName = [string]$Item.displayName; Platform = 'Proxy'; Enabled = [bool]$Item.enabled
                    Organization = [string]$Item.organization; Uri = [string]$Item.uri
                })
        }
        'Invoke-MonitoringProbe' {
            return New-ExchangeDoubleObject 'Microsoft.Exchange.Monitoring.MonitoringProbeResult' ([ordered]@{
                    Server = [string]$Item.server; MonitorIdentity = [string]$Item.identity; ResultType = [string]$Item.resultType
                    Error = [string]$Item.error; Exception = [string]$Item.exception
                    ExecutionEndTime = ConvertTo-ExchangeDoubleDate $Item.executionEndTime
                })
        }
        'Get-Service' {
            return New-ExchangeDoubleObject 'System.ServiceProcess.ServiceController' ([ordered]@{ Name = [string]$Item.name; MachineName = [string]$Item.machineName; Status = [string]$Item.status })
        }
    }
    throw "The Exchange double has no shape for $Cmdlet."
}

# One cmdlet call: post it to the simulated organization, write its error records as
# non-terminating errors (Exchange's way), its warnings as warnings, and its output objects.
function global:Invoke-ExchangeDoubleCmdlet {
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller,
        [Parameter(Mandatory = $true)][string]$Cmdlet,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound
    )
    $settings = $global:ExchangeDoubleSettings
    $parameters = @{}
    $errorAction = $null
    foreach ($key in $Bound.Keys) {
        if ($key -eq 'ErrorAction') { $errorAction = [string]$Bound[$key]; continue }
        if ([System.Management.Automation.PSCmdlet]::CommonParameters -contains $key -or [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -contains $key) { continue }
        $parameters[$key] = ConvertTo-ExchangeDoubleWire $Bound[$key]
    }
    $body = @{ cmdlet = $Cmdlet; parameters = $parameters; errorAction = $errorAction } | ConvertTo-Json -Depth 6 -Compress
    $headers = @{ Authorization = "Bearer $($settings.Token)" }
    $answer = Invoke-RestMethod -Uri $settings.Url -Method Post -Headers $headers -ContentType 'application/json; charset=utf-8' -Body ([System.Text.Encoding]::UTF8.GetBytes($body)) -UseBasicParsing
    if ($answer.control -eq 'hang') {
        # A hung cmdlet: nothing returns until the caller gives up and kills the process.
        while ($true) { Start-Sleep -Seconds 1 }
    }
    if ($answer.control -eq 'crash') { [System.Environment]::Exit(3) }
    $settings.LastErrorCount = @($answer.errors | Where-Object { $null -ne $_ }).Count
    foreach ($warning in @($answer.warnings)) { if ($null -ne $warning) { $Caller.WriteWarning([string]$warning) } }
    foreach ($item in @($answer.output)) {
        if ($null -eq $item) { continue }
        $shaped = ConvertTo-ExchangeDoubleShape -Cmdlet $Cmdlet -Item $item
        if ($settings.Mode -eq 'Remote') { $shaped = ConvertTo-ExchangeDoubleDeserialized -Cmdlet $Cmdlet -Item $item -Shaped $shaped }
        $Caller.WriteObject($shaped)
    }
    foreach ($record in @($answer.errors)) {
        if ($null -eq $record) { continue }
        $exception = $null
        try { $exception = New-Object -TypeName ([string]$record.exceptionType) -ArgumentList @([string]$record.message) } catch { $exception = $null }
        if ($null -eq $exception) { $exception = New-Object System.InvalidOperationException -ArgumentList @([string]$record.message) }
        $category = [System.Management.Automation.ErrorCategory]::InvalidOperation
        if ([System.Enum]::IsDefined([System.Management.Automation.ErrorCategory], [string]$record.category)) { $category = [System.Management.Automation.ErrorCategory][string]$record.category }
        $errorRecord = New-Object System.Management.Automation.ErrorRecord -ArgumentList @($exception, [string]$record.errorId, $category, $record.target)
        # Non-terminating: the caller's ErrorAction decides (Exchange's cmdlets use WriteError too).
        $Caller.WriteError($errorRecord)
    }
}

# Remote mode: what the client of an Import-PSSession session receives. PowerShell's serializer
# turns enums into strings and objects into Deserialized.* property bags. On Exchange 2016/2019
# serialized data is signed with the Auth certificate; when that certificate has expired the
# client gets ExchangeCertificate objects with RawData only (CSS-Exchange,
# Shared/CertificateFunctions/Import-ExchangeCertificateFromRawData.ps1 and the
# Admin/MonitorExchangeAuthCertificate test data GetExchangeCertificateBroken.xml).
function global:ConvertTo-ExchangeDoubleDeserialized {
    param([string]$Cmdlet, [object]$Item, [object]$Shaped)
    if ($Cmdlet -eq 'Get-ExchangeCertificate' -and [bool]$Item.rawDataOnly) {
        $broken = New-Object PSObject
        $broken.PSObject.TypeNames.Clear()
        foreach ($name in @('Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate', 'Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2', 'Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate', 'Deserialized.System.Object')) {
            $broken.PSObject.TypeNames.Add($name)
        }
        Add-Member -InputObject $broken -NotePropertyName RawData -NotePropertyValue $Shaped.RawData
        Add-Member -InputObject $broken -NotePropertyName PSComputerName -NotePropertyValue $global:ExchangeDoubleSettings.ConnectedServer
        return $broken
    }
    $xml = [System.Management.Automation.PSSerializer]::Serialize($Shaped, 1)
    return [System.Management.Automation.PSSerializer]::Deserialize($xml)
}

# Get-OrganizationConfig: learn.microsoft.com/powershell/module/exchange/get-organizationconfig
function global:Get-OrganizationConfig {
    [CmdletBinding()]
    param([Parameter(Position = 0)][object]$Identity, [string]$DomainController)
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-OrganizationConfig' $PSBoundParameters
}

# Get-AcceptedDomain: learn.microsoft.com/powershell/module/exchange/get-accepteddomain
function global:Get-AcceptedDomain {
    [CmdletBinding()]
    param([Parameter(Position = 0)][object]$Identity, [string]$DomainController)
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-AcceptedDomain' $PSBoundParameters
}

# Get-ExchangeServer: learn.microsoft.com/powershell/module/exchange/get-exchangeserver
# ([[-Identity] <ServerIdParameter>] [-Domain <Fqdn>] [-DomainController <Fqdn>] [-Status]).
function global:Get-ExchangeServer {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true)][object]$Identity, [string]$Domain, [string]$DomainController, [switch]$Status)
    process { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-ExchangeServer' $PSBoundParameters }
}

# Get-ExchangeCertificate: learn.microsoft.com/powershell/module/exchange/get-exchangecertificate;
# three parameter sets (Identity, Instance, Thumbprint), Identity and Thumbprint positional.
function global:Get-ExchangeCertificate {
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(ParameterSetName = 'Instance')][System.Security.Cryptography.X509Certificates.X509Certificate2]$Instance,
        [Parameter(ParameterSetName = 'Thumbprint', Position = 0)][string]$Thumbprint,
        [Parameter(ParameterSetName = 'Instance')][Parameter(ParameterSetName = 'Thumbprint')][object]$Server,
        [string]$DomainController,
        [string[]]$DomainName
    )
    process { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-ExchangeCertificate' $PSBoundParameters }
}

# Import-ExchangeCertificate: learn.microsoft.com/powershell/module/exchange/import-exchangecertificate
# (-FileData <Byte[]> mandatory in its set, -Password <SecureString>, -PrivateKeyExportable <Boolean>).
function global:Import-ExchangeCertificate {
    [CmdletBinding(DefaultParameterSetName = 'FileData', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'FileData', Mandatory = $true)][byte[]]$FileData,
        [Parameter(ParameterSetName = 'FileName', Mandatory = $true)][string]$FileName,
        [Parameter(ParameterSetName = 'Instance', Mandatory = $true)][string[]]$Instance,
        [string]$DomainController,
        [string]$FriendlyName,
        [System.Security.SecureString]$Password,
        [bool]$PrivateKeyExportable,
        [object]$Server
    )
    if ($PSCmdlet.ShouldProcess([string]$Server, 'Import-ExchangeCertificate')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Import-ExchangeCertificate' $PSBoundParameters }
}

# Enable-ExchangeCertificate: learn.microsoft.com/powershell/module/exchange/enable-exchangecertificate
# ([-Thumbprint] <String> with -Services <AllowedServices[]> mandatory, -Server, -Force, -DoNotRequireSsl).
function global:Enable-ExchangeCertificate {
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Mandatory = $true, Position = 0)][string]$Thumbprint,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true)][string]$Identity,
        [Parameter(Mandatory = $true)][ValidateSet('None', 'IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation', 'UMCallRouter')][string[]]$Services,
        [string]$DomainController,
        [switch]$DoNotRequireSsl,
        [switch]$Force,
        [switch]$NetworkServiceAllowed,
        [object]$Server
    )
    if ($PSCmdlet.ShouldProcess([string]$Server, 'Enable-ExchangeCertificate')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Enable-ExchangeCertificate' $PSBoundParameters }
}

# Export-ExchangeCertificate: learn.microsoft.com/powershell/module/exchange/export-exchangecertificate
# ([-Thumbprint] <String> mandatory, -BinaryEncoded, -Password <SecureString>, -Server).
function global:Export-ExchangeCertificate {
    [CmdletBinding(DefaultParameterSetName = 'Thumbprint', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Mandatory = $true, Position = 0)][string]$Thumbprint,
        [Parameter(ParameterSetName = 'Identity', Position = 0)][object]$Identity,
        [Parameter(ParameterSetName = 'Thumbprint')][object]$Server,
        [switch]$BinaryEncoded,
        [string]$DomainController,
        [string]$FileName,
        [System.Security.SecureString]$Password
    )
    if ($PSCmdlet.ShouldProcess($Thumbprint, 'Export-ExchangeCertificate')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Export-ExchangeCertificate' $PSBoundParameters }
}

# Get-AuthConfig: learn.microsoft.com/powershell/module/exchange/get-authconfig
function global:Get-AuthConfig {
    [CmdletBinding()]
    param([string]$DomainController)
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-AuthConfig' $PSBoundParameters
}

# Set-AuthConfig: learn.microsoft.com/powershell/module/exchange/set-authconfig, its four parameter
# sets: -CertificateThumbprint (mandatory); -NewCertificateThumbprint/-NewCertificateEffectiveDate
# <DateTime>; -PublishCertificate/-ClearPreviousCertificate; -Realm/-ServiceName.
function global:Set-AuthConfig {
    [CmdletBinding(DefaultParameterSetName = 'AuthConfigSettings', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'CurrentCertificateParameter', Mandatory = $true)][string]$CertificateThumbprint,
        [Parameter(ParameterSetName = 'NewCertificateParameter')][string]$NewCertificateThumbprint,
        [Parameter(ParameterSetName = 'NewCertificateParameter')][Nullable[DateTime]]$NewCertificateEffectiveDate,
        [Parameter(ParameterSetName = 'PublishCertificateParameter')][switch]$PublishCertificate,
        [Parameter(ParameterSetName = 'PublishCertificateParameter')][switch]$ClearPreviousCertificate,
        [Parameter(ParameterSetName = 'AuthConfigSettings')][string]$Realm,
        [Parameter(ParameterSetName = 'AuthConfigSettings')][string]$ServiceName,
        [Parameter(ParameterSetName = 'CurrentCertificateParameter')][Parameter(ParameterSetName = 'NewCertificateParameter')][switch]$SkipImmediateCertificateDeployment,
        [Parameter(ParameterSetName = 'CurrentCertificateParameter')][Parameter(ParameterSetName = 'NewCertificateParameter')][object]$Server,
        [Parameter(ParameterSetName = 'CurrentCertificateParameter')][Parameter(ParameterSetName = 'NewCertificateParameter')][Parameter(ParameterSetName = 'PublishCertificateParameter')][switch]$Force,
        [string]$DomainController
    )
    if ($PSCmdlet.ShouldProcess('Auth Configuration', 'Set-AuthConfig')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Set-AuthConfig' $PSBoundParameters }
}

# Get-AuthServer: learn.microsoft.com/powershell/module/exchange/get-authserver
function global:Get-AuthServer {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true)][object]$Identity, [string]$DomainController)
    process { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-AuthServer' $PSBoundParameters }
}

# New-AuthServer: learn.microsoft.com/powershell/module/exchange/new-authserver
# ([-Name] <String> mandatory, -AuthMetadataUrl <String> mandatory in the AuthMetadataUrl set).
function global:New-AuthServer {
    [CmdletBinding(DefaultParameterSetName = 'AuthMetadataUrl', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'AuthMetadataUrl', Mandatory = $true)][string]$AuthMetadataUrl,
        [Parameter(ParameterSetName = 'NativeClientAuthServerParameter', Mandatory = $true)][string]$Type,
        [string]$DomainController,
        [string[]]$DomainName,
        [bool]$Enabled = $true,
        [switch]$TrustAnySSLCertificate
    )
    if ($PSCmdlet.ShouldProcess($Name, 'New-AuthServer')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'New-AuthServer' $PSBoundParameters }
}

# Set-AuthServer: learn.microsoft.com/powershell/module/exchange/set-authserver
# ([-Identity] <AuthServerIdParameter> mandatory; no output).
function global:Set-AuthServer {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [string]$AuthMetadataUrl,
        [string]$DomainController,
        [bool]$Enabled,
        [string]$Name,
        [switch]$RefreshAuthMetadata,
        [switch]$TrustAnySSLCertificate
    )
    process { if ($PSCmdlet.ShouldProcess([string]$Identity, 'Set-AuthServer')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Set-AuthServer' $PSBoundParameters } }
}

# Get-PushNotificationApp: learn.microsoft.com/powershell/module/exchange/get-pushnotificationapp
function global:Get-PushNotificationApp {
    [CmdletBinding()]
    param([Parameter(Position = 0)][object]$Identity, [string]$DomainController, [string]$Platform)
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-PushNotificationApp' $PSBoundParameters
}

# Enable-PushNotificationProxy: learn.microsoft.com/powershell/module/exchange/enable-pushnotificationproxy
# ([-Organization <String>] [-Uri <String>] [-DomainController <Fqdn>]); returns the app.
function global:Enable-PushNotificationProxy {
    [CmdletBinding()]
    param([string]$Organization, [string]$Uri, [string]$DomainController)
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Enable-PushNotificationProxy' $PSBoundParameters
}

# Invoke-MonitoringProbe: learn.microsoft.com/powershell/module/exchange/invoke-monitoringprobe
# ([-Identity] <String> mandatory, -Server <ServerIdParameter> mandatory).
function global:Invoke-MonitoringProbe {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Identity,
        [Parameter(Mandatory = $true)][object]$Server,
        [string]$Account, [string]$Endpoint, [string]$ItemTargetExtension, [string]$Password,
        [string[]]$PropertyOverride, [string]$SecondaryAccount, [string]$SecondaryEndpoint, [string]$SecondaryPassword,
        [string]$TimeOutSeconds
    )
    Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Invoke-MonitoringProbe' $PSBoundParameters
}
