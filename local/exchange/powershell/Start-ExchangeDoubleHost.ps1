#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the agent's unchanged host.ps1 against the Exchange cmdlet double instead of Exchange.

.DESCRIPTION
    The seam: PowerShell resolves a function before a cmdlet of the same name. This bootstrap
    defines, before host.ps1 runs, the commands host.ps1 uses to reach Exchange:
    - SnapIn: Add-PSSnapin, which accepts Exchange's snap-in name and installs the double's
      cmdlets as global functions outside any module (like a snap-in's cmdlets they see the
      caller's preferences). PowerShell 7 has no Add-PSSnapin at all.
    - Remote: New-PSSession and Import-PSSession, which check what host.ps1 asks for against
      Exchange's remote endpoint (ConfigurationName Microsoft.Exchange, http(s)://<server>/PowerShell/)
      and import the double's cmdlets as a module, as Import-PSSession does with its proxy functions.
    - Both: Get-Service -ComputerName and Restart-Service (Windows PowerShell 5.1 cmdlets; PowerShell
      7 has no -ComputerName), against the simulated organization's MSExchangeHM and
      MSExchangeServiceHost; Invoke-Command -ComputerName, which runs its script block as on that
      server; Restart-WebAppPool (WebAdministration, which PowerShell 7 on Linux does not have).
    host.ps1 itself is then invoked with its own parameters: the shipped script stays what runs
    against a real Exchange. The loopback channel's token comes from PPO_EXCHANGE_DOUBLE_TOKEN.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$HostScript,
    [Parameter(Mandatory = $true)][string]$DoubleUrl,
    # The Exchange server this machine is, in SnapIn mode (the snap-in runs on an Exchange server).
    [Parameter(Mandatory = $true)][string]$ComputerName,
    # Cmdlets the session lacks (RBAC: a role without them), to prove the ready handshake reports them.
    [string[]]$WithoutCmdlet = @(),
    [Parameter(Mandatory = $true)][string]$ScriptsFolder,
    [ValidateSet('SnapIn', 'Remote')][string]$Mode = 'SnapIn',
    [string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Default')][string]$Authentication = 'Kerberos'
)

$WithoutCmdlet = @($WithoutCmdlet | ForEach-Object { $_ -split ',' } | Where-Object { $_ -ne '' })
$doubleScript = Join-Path $PSScriptRoot 'ExchangeDouble.ps1'
$connectedServer = $ComputerName
if ($Mode -eq 'Remote' -and -not [string]::IsNullOrEmpty($ConnectionUri)) { $connectedServer = ([Uri]$ConnectionUri).Host }
$global:ExchangeDoubleSettings = @{
    Url             = $DoubleUrl
    Token           = $env:PPO_EXCHANGE_DOUBLE_TOKEN
    Mode            = $Mode
    ConnectedServer = $connectedServer
    WithoutCmdlet   = $WithoutCmdlet
}
Remove-Item -Path Env:\PPO_EXCHANGE_DOUBLE_TOKEN -ErrorAction SilentlyContinue
$env:COMPUTERNAME = $ComputerName

function Remove-WithheldCmdlet {
    foreach ($name in $global:ExchangeDoubleSettings.WithoutCmdlet) { Remove-Item -Path "Function:\$name" -ErrorAction SilentlyContinue }
}

if ($Mode -eq 'SnapIn') {
    # Add-PSSnapin (Windows PowerShell 5.1): the snap-in name is checked as the real cmdlet does;
    # an unknown one fails with its message.
    function Add-PSSnapin {
        [CmdletBinding()]
        param([Parameter(Mandatory = $true, Position = 0)][string[]]$Name)
        foreach ($snapIn in $Name) {
            if ($snapIn -ne 'Microsoft.Exchange.Management.PowerShell.SnapIn') {
                throw "The Windows PowerShell snap-in '$snapIn' is not installed on this computer."
            }
        }
        . $doubleScript
        Remove-WithheldCmdlet
    }
}
else {
    # New-PSSession to Exchange's endpoint: learn.microsoft.com/powershell/exchange/connect-to-exchange-servers-using-remote-powershell
    # (New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri http://<ServerFQDN>/PowerShell/ -Authentication Kerberos).
    function New-PSSession {
        [CmdletBinding()]
        param([string]$ConfigurationName, [Uri]$ConnectionUri, [string]$Authentication)
        if ($ConfigurationName -ne 'Microsoft.Exchange') { throw "The WS-Management service cannot process the request: the resource URI for configuration '$ConfigurationName' was not found." }
        if ($ConnectionUri.AbsolutePath.TrimEnd('/') -ne '/PowerShell') { throw "Connecting to remote server $($ConnectionUri.Host) failed: the endpoint $ConnectionUri is not Exchange's remote PowerShell (http://<server>/PowerShell/)." }
        $session = New-Object PSObject -Property @{ ComputerName = $ConnectionUri.Host; ConfigurationName = $ConfigurationName; State = 'Opened'; Id = 1 }
        $session.PSObject.TypeNames.Insert(0, 'System.Management.Automation.Runspaces.PSSession')
        return $session
    }

    # Import-PSSession: the session's commands become functions of a temporary module in the
    # caller's session (learn.microsoft.com/powershell/module/microsoft.powershell.utility/import-pssession).
    function Import-PSSession {
        [CmdletBinding()]
        param([Parameter(Mandatory = $true, Position = 0)][object]$Session, [switch]$DisableNameChecking, [switch]$AllowClobber)
        $module = New-Module -Name "tmp_ExchangeDouble_$($Session.ComputerName)" -ScriptBlock {
            param($Path)
            . $Path
        } -ArgumentList $doubleScript
        Remove-WithheldCmdlet
        return $module
    }
}

# Get-Service -ComputerName: Windows PowerShell 5.1 (learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service?view=powershell-5.1).
function Get-Service {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name, [string[]]$ComputerName = @('localhost'))
    foreach ($computer in $ComputerName) {
        foreach ($service in $Name) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Get-Service' @{ Name = $service; ComputerName = $computer } }
    }
}

# The computer a command runs on: the one Invoke-Command is running a script block for, else this one.
function Get-ExchangeDoubleComputer {
    $remote = $global:ExchangeDoubleSettings.RemoteComputer
    if ([string]::IsNullOrEmpty([string]$remote)) { return $env:COMPUTERNAME }
    return [string]$remote
}

# Restart-Service (same reference page family): -InputObject <ServiceController[]> from the pipeline
# (Restart-PushProxyHealthManager.ps1), or [-Name] <String[]> on the computer the command runs on.
function Restart-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0)][string[]]$Name,
        [switch]$Force,
        [switch]$PassThru
    )
    process {
        $services = @()
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') { $services = @($InputObject | ForEach-Object { @{ Name = [string]$_.Name; ComputerName = [string]$_.MachineName } }) }
        else { $services = @($Name | ForEach-Object { @{ Name = [string]$_; ComputerName = Get-ExchangeDoubleComputer } }) }
        foreach ($service in $services) {
            if ($PSCmdlet.ShouldProcess($service.Name, 'Restart-Service')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Restart-Service' $service }
        }
    }
}

# Restart-WebAppPool: learn.microsoft.com/powershell/module/webadministration/restart-webapppool
# ([-Name] <String> or -InputObject; no -ComputerName: it recycles a pool of the computer it runs on).
function Restart-WebAppPool {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string]$Name,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, ValueFromPipeline = $true)][object]$InputObject,
        [switch]$Passthru
    )
    process {
        $pool = $Name
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') { $pool = [string]$InputObject.Name }
        if ($PSCmdlet.ShouldProcess($pool, 'Restart-WebAppPool')) { Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Restart-WebAppPool' @{ Name = $pool; ComputerName = Get-ExchangeDoubleComputer } }
    }
}

# Invoke-Command -ComputerName -ScriptBlock -ArgumentList -ThrottleLimit: learn.microsoft.com/powershell/
# module/microsoft.powershell.core/invoke-command?view=powershell-5.1. The organization says whether
# each computer answers (WinRM); the block then runs here as if there: rebuilt from its text, so that,
# as in a remote session, it sees none of the caller's local variables and gets its values through
# -ArgumentList only. With several computers the real cmdlet runs them concurrently, at most
# -ThrottleLimit (0 or absent: 32) at a time, and one computer's failure does not stop the others: the
# double runs them in turn (it has no latency of its own; the simulated organization's time is the
# TypeScript LatentExchangeShell's), but answers as the real one does: each output carries
# PSComputerName, an error the block raised comes back as a non-terminating RemotingErrorRecord with
# OriginInfo naming its computer (about_Remote_Output), an unreachable computer as an error record
# naming it, and -ErrorAction Stop ends the command at the first of them.
function Invoke-Command {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string[]]$ComputerName,
        [Parameter(Mandatory = $true, Position = 1)][scriptblock]$ScriptBlock,
        [object[]]$ArgumentList = @(),
        [ValidateRange(0, [int]::MaxValue)][int]$ThrottleLimit = 32
    )
    foreach ($computer in $ComputerName) {
        Invoke-ExchangeDoubleCmdlet $PSCmdlet 'Invoke-Command' @{ ComputerName = $computer }
        if ($global:ExchangeDoubleSettings.LastErrorCount -gt 0) { continue }
        $global:ExchangeDoubleSettings.RemoteComputer = $computer
        try {
            foreach ($item in @(& ([scriptblock]::Create($ScriptBlock.ToString())) @ArgumentList)) {
                # Remoting serializes each output (about_Remote_Output): a fresh object per computer, never
                # one shared [bool] whose members PowerShell would keep for every $true in the process.
                $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($item, 1))
                $answer = New-Object psobject -ArgumentList $copy
                Add-Member -InputObject $answer -NotePropertyName PSComputerName -NotePropertyValue $computer -Force
                $PSCmdlet.WriteObject($answer)
            }
        }
        catch {
            $origin = New-Object System.Management.Automation.Remoting.OriginInfo -ArgumentList @($computer, [guid]::Empty)
            $PSCmdlet.WriteError((New-Object System.Management.Automation.Runspaces.RemotingErrorRecord -ArgumentList @($_, $origin)))
        }
        finally { $global:ExchangeDoubleSettings.RemoteComputer = $null }
    }
}

# The double's helpers (the wire, the shapes) are needed by Get-Service before any cmdlet is loaded;
# its Exchange cmdlets appear only once host.ps1 adds the snap-in or imports the session.
. $doubleScript
$exchangeCmdlets = '^(Get|Set|New|Import|Export|Enable|Invoke)-(OrganizationConfig|AcceptedDomain|ExchangeServer|ExchangeCertificate|AuthConfig|AuthServer|PushNotificationApp|PushNotificationProxy|MonitoringProbe)$'
foreach ($name in @(Get-Command -CommandType Function | Where-Object { $_.Name -match $exchangeCmdlets } | ForEach-Object { $_.Name })) {
    Remove-Item -Path "Function:\$name"
}

$hostParameters = @{ ScriptsFolder = $ScriptsFolder; Mode = $Mode; Authentication = $Authentication }
if (-not [string]::IsNullOrEmpty($ConnectionUri)) { $hostParameters['ConnectionUri'] = $ConnectionUri }
& $HostScript @hostParameters
exit $LASTEXITCODE
