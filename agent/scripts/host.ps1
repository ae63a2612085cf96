#Requires -Version 5.1
<#
    The agent's PowerShell host: loads the Exchange cmdlets once, then runs allowlisted scripts one
    at a time. JSON lines on stdin: {"type":"run","id":1,"script":"inventory","parameters":{...}}
    or {"type":"exit"}. JSON lines on stdout, each with "ppo":1: one "ready" (or "fatal"), then one
    "reply" per run. Parameters reach a script only by splatting a hashtable built from the JSON.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$ScriptsFolder,
    [ValidateSet('SnapIn', 'Remote')][string]$Mode = 'SnapIn',
    [string]$ConnectionUri,
    [ValidateSet('Kerberos', 'Negotiate', 'Default')][string]$Authentication = 'Kerberos'
)

# Strict mode 1.0, not 2.0: 2.0 throws on reading a property an object lacks, and objects from a
# remote session lack many. Preferences set here reach the snap-in's cmdlets but not the functions
# Import-PSSession creates (they live in a module), so every script also passes -ErrorAction Stop.
Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'

$utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
$stdin = New-Object System.IO.StreamReader -ArgumentList @([Console]::OpenStandardInput(), $utf8)
$stdout = New-Object System.IO.StreamWriter -ArgumentList @([Console]::OpenStandardOutput(), $utf8)
$stdout.AutoFlush = $true

# The allowlist: operation name to script file. Nothing else runs.
$allowedScripts = @{
    'inventory'            = 'Get-PushProxyInventory.ps1'
    'installCertificate'   = 'Install-PushProxyCertificate.ps1'
    'setAuthConfig'        = 'Set-PushProxyAuthConfig.ps1'
    'ensureAuthServer'     = 'Set-PushProxyAuthServer.ps1'
    'enablePushProxy'      = 'Enable-PushProxy.ps1'
    'restartHealthManager' = 'Restart-PushProxyHealthManager.ps1'
    'restartAuthServices'  = 'Restart-PushProxyAuthServices.ps1'
    'invokeProbe'          = 'Invoke-PushProxyProbe.ps1'
}

$requiredCmdlets = @(
    'Get-OrganizationConfig', 'Get-AcceptedDomain', 'Get-ExchangeServer', 'Get-ExchangeCertificate',
    'Import-ExchangeCertificate', 'Enable-ExchangeCertificate', 'Export-ExchangeCertificate', 'Get-AuthConfig', 'Set-AuthConfig',
    'Get-AuthServer', 'New-AuthServer', 'Set-AuthServer', 'Get-PushNotificationApp',
    'Enable-PushNotificationProxy', 'Invoke-MonitoringProbe'
)

function Write-ProtocolLine {
    param([Parameter(Mandatory = $true)][hashtable]$Message)
    $Message['ppo'] = 1
    $stdout.WriteLine(($Message | ConvertTo-Json -Compress -Depth 20))
}

# The Exchange server the session runs on; the scripts read it (Get-ConnectedServerName in common.ps1).
$PushProxyConnectedServer = $env:COMPUTERNAME
if ($Mode -eq 'Remote' -and -not [string]::IsNullOrEmpty($ConnectionUri)) { $PushProxyConnectedServer = ([Uri]$ConnectionUri).Host }

function Import-ExchangeCmdlet {
    if ($Mode -eq 'SnapIn') {
        Add-PSSnapin -Name 'Microsoft.Exchange.Management.PowerShell.SnapIn' -ErrorAction Stop
        return
    }
    if ([string]::IsNullOrEmpty($ConnectionUri)) { throw 'Remote mode needs -ConnectionUri, e.g. http://ex1.contoso.com/PowerShell/' }
    $session = New-PSSession -ConfigurationName 'Microsoft.Exchange' -ConnectionUri $ConnectionUri -Authentication $Authentication -ErrorAction Stop
    $null = Import-PSSession -Session $session -DisableNameChecking -AllowClobber -ErrorAction Stop
}

function ConvertTo-Splat {
    param([object]$Parameters)
    $splat = @{}
    if ($null -ne $Parameters) {
        foreach ($property in $Parameters.PSObject.Properties) { $splat[$property.Name] = $property.Value }
    }
    return $splat
}

function Invoke-AllowedScript {
    param([Parameter(Mandatory = $true)][object]$Request)
    $scriptName = [string]$Request.script
    if (-not $allowedScripts.ContainsKey($scriptName)) { throw "Script '$scriptName' is not allowlisted." }
    $path = Join-Path $ScriptsFolder $allowedScripts[$scriptName]
    $splat = ConvertTo-Splat $Request.parameters
    $output = @(& $path @splat 3>&1)
    $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { $_.Message })
    $results = @($output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
    $result = $null
    if ($results.Count -eq 1) { $result = $results[0] } elseif ($results.Count -gt 1) { $result = $results }
    return @{ result = $result; warnings = $warnings }
}

try {
    Import-ExchangeCmdlet
    $missing = @($requiredCmdlets | Where-Object { -not (Get-Command -Name $_ -ErrorAction SilentlyContinue) })
    Write-ProtocolLine @{ type = 'ready'; mode = $Mode; missingCmdlets = $missing }
}
catch {
    Write-ProtocolLine @{ type = 'fatal'; message = $_.Exception.Message }
    exit 2
}

while ($true) {
    $line = $stdin.ReadLine()
    if ($null -eq $line) { break }
    if ($line.Trim().Length -eq 0) { continue }
    $request = $null
    try {
        $request = $line | ConvertFrom-Json
        if ($request.type -eq 'exit') { break }
        $outcome = Invoke-AllowedScript -Request $request
        Write-ProtocolLine @{ type = 'reply'; id = [int]$request.id; ok = $true; result = $outcome.result; warnings = $outcome.warnings }
    }
    catch {
        $id = -1
        if ($null -ne $request -and $null -ne $request.id) { $id = [int]$request.id }
        # The error id and exception type let the agent tell a dropped session (transient) from Exchange refusing.
        $inner = $_.Exception
        while ($inner -is [System.Management.Automation.ActionPreferenceStopException] -and $null -ne $inner.InnerException) { $inner = $inner.InnerException }
        Write-ProtocolLine @{ type = 'reply'; id = $id; ok = $false; error = @{ message = $_.Exception.Message; errorId = [string]$_.FullyQualifiedErrorId; exceptionType = $inner.GetType().FullName } }
    }
}
exit 0
