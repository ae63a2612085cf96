#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
Installs the push-proxy agent as a Windows service running as a dedicated account.

.DESCRIPTION
Windows Server 2016 or later, Windows PowerShell 5.1, Node.js 20 or later. Run it as a local
administrator after `node agent.js check --config <plaintext config>` has passed (docs/deploy.md).

What it does, in order, each step safe to repeat:
 1. Checks the bundle (agent.js and scripts\), Node.js 20+, the WinSW executable and the account.
 2. Grants the account "Log on as a service".
 3. Creates the data folder and restricts it: SYSTEM and Administrators full control, the
    service account modify, nobody else. The install folder becomes read-only for the account:
    the agent runs its scripts with Exchange administrator rights, so only administrators may
    change them.
 4. Protects the configuration with DPAPI: the whole JSON file is encrypted (machine scope) into
    <DataPath>\agent-config.dpapi.json, readable only by SYSTEM, Administrators and the service
    account, and the plaintext file is overwritten and deleted (unless -KeepPlaintextConfig).
    Machine scope, because the service account's own (user-scope) DPAPI keys are out of reach of
    an administrator running this script, and a gMSA has no password to reach them with. The
    ACL is what keeps other local accounts out; DPAPI keeps the secrets useless off this machine
    (copies, backups, file shares).
    File format: {"format":"push-proxy-agent-config/dpapi-v1","scope":"LocalMachine",
    "entropy":"<text>","protected":"<base64>"}; the agent decrypts it with
    [System.Security.Cryptography.ProtectedData]::Unprotect(bytes, UTF-8 entropy, LocalMachine).
 5. Registers the service with WinSW (https://github.com/winsw/winsw, MIT): Node.js cannot answer
    the Service Control Manager itself, and WinSW is the widely used wrapper for that (a single
    executable plus an XML file; Jenkins ships with it). WinSW restarts a crashed agent; the
    Service Control Manager's recovery actions (sc.exe failure) restart WinSW itself.
 6. Sets the logon account (through CIM, so a password never appears on a command line) and
    the recovery actions, then starts the service when -Start is given.

.PARAMETER InstallPath
Folder holding the bundle: agent.js and its scripts\ folder (npm run build:agent).

.PARAMETER ServiceAccount
DOMAIN\user, or a group managed service account as DOMAIN\name$ (recommended: no password).
The account needs the Exchange rights listed in docs/permissions.md.

.PARAMETER ConfigPath
The agent's configuration file (plaintext JSON, with the Listen key and the shared secret).

.PARAMETER WinSWPath
The WinSW executable for .NET Framework 4.6.1 (WinSW-x64.exe or WinSW-NET461.exe, 2.12 or
later), downloaded from the project's releases and checked by the administrator.

.PARAMETER ServiceCredential
Password of ServiceAccount when it is not a gMSA; prompted for when omitted.

.EXAMPLE
.\install-service.ps1 -InstallPath 'C:\Program Files\PushProxyAgent' -ServiceAccount 'CONTOSO\ppo-agent$' -ConfigPath 'C:\PushProxySetup\agent-config.json' -WinSWPath 'C:\PushProxySetup\WinSW-x64.exe' -Start
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $InstallPath,

    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^\\]+\\[^\\]+$')]
    [string] $ServiceAccount,

    [Parameter(Mandatory = $true)]
    [string] $ConfigPath,

    [Parameter(Mandatory = $true)]
    [string] $WinSWPath,

    [string] $DataPath = (Join-Path $env:ProgramData 'PushProxyAgent'),

    [ValidatePattern('^[A-Za-z0-9_-]{1,64}$')]
    [string] $ServiceName = 'PushProxyAgent',

    [string] $NodePath = '',

    [System.Management.Automation.PSCredential] $ServiceCredential,

    [switch] $KeepPlaintextConfig,

    [switch] $Start
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$ConfigFormat = 'push-proxy-agent-config/dpapi-v1'
$ConfigEntropy = 'push-proxy-orchestrator agent configuration'
$ProtectedConfigName = 'agent-config.dpapi.json'
$SidSystem = 'S-1-5-18'
$SidAdministrators = 'S-1-5-32-544'

function Assert-Prerequisites {
    if ([Environment]::OSVersion.Version.Build -lt 14393) {
        throw 'Windows Server 2016 (build 14393) or later is required.'
    }
    foreach ($required in @('agent.js', 'scripts')) {
        if (-not (Test-Path -LiteralPath (Join-Path $InstallPath $required))) {
            throw "$InstallPath does not hold $required; copy the output of npm run build:agent there."
        }
    }
    foreach ($file in @($WinSWPath, $ConfigPath, $script:Node)) {
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { throw "File not found: $file" }
    }
    Assert-ConfigPrivate -Path $ConfigPath -AllowedSids @($SidSystem, $SidAdministrators, [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value)
    $version = (& $script:Node --version) -replace '^v', ''
    if ([int]($version.Split('.')[0]) -lt 20) { throw "Node.js 20 or later is required; $($script:Node) is $version." }
}

# The SIDs, other than the allowed ones, that an Allow rule lets read a file: ReadData, or the generic
# rights GENERIC_READ and GENERIC_ALL that an ACE may hold unmapped (FileSystemRights has no names
# for them: https://learn.microsoft.com/windows/win32/secauthz/generic-access-rights). A Deny rule
# or a right without read (write only) makes nobody a reader; reading refused by a Deny as well as
# allowed still counts, which errs on the side of refusing.
function Get-UnexpectedConfigReaders($Rules, [string[]] $AllowedSids) {
    # ReadData 0x1, GENERIC_READ 0x80000000, GENERIC_ALL 0x10000000, as 64-bit numbers so that the
    # sign bit of a 32-bit right (GENERIC_READ reads as a negative int) cannot go astray.
    $readMask = [int64]1 -bor [int64]2147483648 -bor [int64]268435456
    return @($Rules |
        Where-Object { "$($_.AccessControlType)" -eq 'Allow' -and ((([int64]$_.FileSystemRights) -band [int64]4294967295 -band $readMask) -ne 0) } |
        ForEach-Object { $_.IdentityReference.Value } |
        Where-Object { $AllowedSids -notcontains $_ } |
        Sort-Object -Unique)
}

# The plaintext configuration holds the Listen key and the shared secret: refuse it when anyone but
# SYSTEM, the Administrators group or the administrator running this script may read it. A file in
# a folder such as C:\Temp inherits read access for Users.
function Assert-ConfigPrivate([string] $Path, [string[]] $AllowedSids) {
    $rules = (Get-Acl -LiteralPath $Path).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])
    $readers = @(Get-UnexpectedConfigReaders -Rules $rules -AllowedSids $AllowedSids)
    if ($readers.Count -gt 0) {
        throw "$Path can be read by $($readers -join ', '): it holds the agent's secrets. Keep it in a folder only administrators can read (see docs/deploy.md), then run this script again."
    }
}

function Resolve-AccountSid([string] $Account) {
    $ntAccount = New-Object System.Security.Principal.NTAccount($Account)
    return $ntAccount.Translate([System.Security.Principal.SecurityIdentifier]).Value
}

# secedit is the built-in way to edit User Rights Assignment. A domain GPO that defines
# "Log on as a service" overrides this; then add the account to that GPO instead.
function Grant-ServiceLogonRight([string] $Sid) {
    $work = Join-Path $env:TEMP ('ppo-secedit-' + [guid]::NewGuid().ToString())
    $null = New-Item -ItemType Directory -Path $work
    try {
        $exported = Join-Path $work 'exported.inf'
        $null = & secedit.exe /export /cfg $exported /areas USER_RIGHTS
        if ($LASTEXITCODE -ne 0) { throw "secedit /export failed ($LASTEXITCODE)." }
        $line = Get-Content -LiteralPath $exported | Where-Object { $_ -match '^SeServiceLogonRight\s*=' } | Select-Object -First 1
        $holders = @()
        if ($line) {
            $holders = @(($line -split '=', 2)[1].Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
        }
        if ($holders -contains "*$Sid") {
            Write-Host 'Log on as a service: already granted.'
            return
        }
        $grant = Join-Path $work 'grant.inf'
        $content = @(
            '[Unicode]', 'Unicode=yes',
            '[Version]', 'signature="$CHICAGO$"', 'Revision=1',
            '[Privilege Rights]', ('SeServiceLogonRight = ' + (($holders + "*$Sid") -join ','))
        )
        Set-Content -LiteralPath $grant -Value $content -Encoding Unicode
        $null = & secedit.exe /configure /db (Join-Path $work 'grant.sdb') /cfg $grant /areas USER_RIGHTS /quiet
        if ($LASTEXITCODE -ne 0) { throw "secedit /configure failed ($LASTEXITCODE)." }
        Write-Host 'Log on as a service: granted.'
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# Replaces inherited permissions with exactly: SYSTEM and Administrators full control, the
# service account the given right. Rights use icacls' notation (M modify, RX read and execute).
function Set-RestrictedAcl([string] $Path, [string] $AccountSid, [string] $AccountRight, [switch] $Container) {
    $inherit = ''
    if ($Container) { $inherit = '(OI)(CI)' }
    $grants = @(
        ('*{0}:{1}F' -f $SidSystem, $inherit),
        ('*{0}:{1}F' -f $SidAdministrators, $inherit),
        ('*{0}:{1}{2}' -f $AccountSid, $inherit, $AccountRight)
    )
    $null = & icacls.exe $Path /inheritance:r /grant:r $grants /Q
    if ($LASTEXITCODE -ne 0) { throw "icacls failed on $Path ($LASTEXITCODE)." }
}

function Protect-AgentConfig([string] $Source, [string] $Destination, [string] $AccountSid) {
    Add-Type -AssemblyName System.Security
    $json = [System.IO.File]::ReadAllText($Source)
    $null = $json | ConvertFrom-Json  # refuse to protect a file the agent could not read
    $plain = [System.Text.Encoding]::UTF8.GetBytes($json)
    try {
        $protected = [System.Security.Cryptography.ProtectedData]::Protect(
            $plain,
            [System.Text.Encoding]::UTF8.GetBytes($ConfigEntropy),
            [System.Security.Cryptography.DataProtectionScope]::LocalMachine)
    }
    finally {
        [Array]::Clear($plain, 0, $plain.Length)
    }
    $document = [ordered]@{
        format    = $ConfigFormat
        scope     = 'LocalMachine'
        entropy   = $ConfigEntropy
        protected = [Convert]::ToBase64String($protected)
    }
    # Restrict the (empty) file first, so the ciphertext is never readable by others either.
    [System.IO.File]::WriteAllText($Destination, '')
    Set-RestrictedAcl -Path $Destination -AccountSid $AccountSid -AccountRight 'R'
    [System.IO.File]::WriteAllText($Destination, ($document | ConvertTo-Json), (New-Object System.Text.UTF8Encoding $false))
    Write-Host "Configuration protected with DPAPI: $Destination"
}

# Best effort: SSDs and volume shadow copies may keep old blocks; see docs/deploy.md.
function Remove-PlaintextFile([string] $Path) {
    $length = (Get-Item -LiteralPath $Path).Length
    [System.IO.File]::WriteAllBytes($Path, (New-Object byte[] $length))
    Remove-Item -LiteralPath $Path -Force
    Write-Host "Plaintext configuration overwritten and deleted: $Path"
}

function Remove-ExistingService([string] $Wrapper) {
    $existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if ($null -eq $existing) { return }
    Write-Host "Service $ServiceName exists: stopping and re-registering it."
    if ($existing.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force }
    if (Test-Path -LiteralPath $Wrapper) { $null = & $Wrapper uninstall } else { $null = & sc.exe delete $ServiceName }
    for ($i = 0; $i -lt 30 -and $null -ne (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue); $i++) {
        Start-Sleep -Seconds 1
    }
    if ($null -ne (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) {
        throw "Service $ServiceName is still marked for deletion; close the Services console and run this again."
    }
}

function Write-WinSWConfig([string] $Path, [string] $Arguments, [string] $LogPath) {
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.Encoding = New-Object System.Text.UTF8Encoding $false
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartElement('service')
        $writer.WriteElementString('id', $ServiceName)
        $writer.WriteElementString('name', 'Push Proxy Agent')
        $writer.WriteElementString('description', 'push-proxy-orchestrator on-premises agent: Azure Relay listener for allowlisted Exchange operations.')
        $writer.WriteElementString('executable', $script:Node)
        $writer.WriteElementString('arguments', $Arguments)
        $writer.WriteElementString('workingdirectory', $InstallPath)
        $writer.WriteElementString('startmode', 'Automatic')
        $writer.WriteElementString('stoptimeout', '30 sec')
        $writer.WriteElementString('logpath', $LogPath)
        $writer.WriteStartElement('log')
        $writer.WriteAttributeString('mode', 'roll-by-size')
        $writer.WriteElementString('sizeThreshold', '10240')
        $writer.WriteElementString('keepFiles', '8')
        $writer.WriteEndElement()
        foreach ($delay in @('10 sec', '1 min', '5 min')) {
            $writer.WriteStartElement('onfailure')
            $writer.WriteAttributeString('action', 'restart')
            $writer.WriteAttributeString('delay', $delay)
            $writer.WriteEndElement()
        }
        $writer.WriteElementString('resetfailure', '1 hour')
        $writer.WriteEndElement()
    }
    finally {
        $writer.Dispose()
    }
}

function Set-ServiceLogon([string] $Account, [System.Management.Automation.PSCredential] $Credential) {
    if ($Account.EndsWith('$')) {
        # A gMSA has no password to pass; nothing secret is on this command line.
        $null = & sc.exe config $ServiceName obj= $Account
        if ($LASTEXITCODE -ne 0) { throw "sc.exe config failed ($LASTEXITCODE)." }
        return
    }
    $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name='{0}'" -f $ServiceName)
    $result = Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{
        StartName     = $Account
        StartPassword = $Credential.GetNetworkCredential().Password
    }
    if ($result.ReturnValue -ne 0) { throw "Setting the service account failed (Win32_Service.Change returned $($result.ReturnValue))." }
}

# Restart after 10 s, 1 min, then every 5 min; forget failures after a day. failureflag 1 also
# applies the actions when the process stops with an error rather than crashing.
function Set-ServiceRecovery {
    $null = & sc.exe failure $ServiceName reset= 86400 actions= restart/10000/restart/60000/restart/300000
    if ($LASTEXITCODE -ne 0) { throw "sc.exe failure failed ($LASTEXITCODE)." }
    $null = & sc.exe failureflag $ServiceName 1
    if ($LASTEXITCODE -ne 0) { throw "sc.exe failureflag failed ($LASTEXITCODE)." }
}

$InstallPath = (Resolve-Path -LiteralPath $InstallPath).ProviderPath
if ($NodePath -eq '') {
    $found = Get-Command -Name node.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $found) { throw 'node.exe is not on PATH: install Node.js 20 or later, or pass -NodePath.' }
    $NodePath = $found.Source
}
$script:Node = $NodePath
Assert-Prerequisites

$isGroupManagedAccount = $ServiceAccount.EndsWith('$')
if (-not $isGroupManagedAccount -and $null -eq $ServiceCredential) {
    $ServiceCredential = Get-Credential -UserName $ServiceAccount -Message "Password of the service account $ServiceAccount"
}
$accountSid = Resolve-AccountSid $ServiceAccount
Grant-ServiceLogonRight $accountSid

$logPath = Join-Path $DataPath 'logs'
$null = New-Item -ItemType Directory -Path $logPath -Force
Set-RestrictedAcl -Path $DataPath -AccountSid $accountSid -AccountRight 'M' -Container
Set-RestrictedAcl -Path $InstallPath -AccountSid $accountSid -AccountRight 'RX' -Container

$protectedConfig = Join-Path $DataPath $ProtectedConfigName
Protect-AgentConfig -Source $ConfigPath -Destination $protectedConfig -AccountSid $accountSid
if (-not $KeepPlaintextConfig) { Remove-PlaintextFile $ConfigPath }

$wrapper = Join-Path $InstallPath "$ServiceName.exe"
Remove-ExistingService $wrapper
Copy-Item -LiteralPath $WinSWPath -Destination $wrapper -Force
$agentArguments = '"{0}" run --config "{1}"' -f (Join-Path $InstallPath 'agent.js'), $protectedConfig
Write-WinSWConfig -Path (Join-Path $InstallPath "$ServiceName.xml") -Arguments $agentArguments -LogPath $logPath
$null = & $wrapper install
if ($LASTEXITCODE -ne 0) { throw "WinSW install failed ($LASTEXITCODE)." }

Set-ServiceLogon -Account $ServiceAccount -Credential $ServiceCredential
Set-ServiceRecovery
Write-Host "Service $ServiceName installed, running as $ServiceAccount."

if ($Start) {
    Start-Service -Name $ServiceName
    $status = (Get-Service -Name $ServiceName).Status
    Write-Host "Service $ServiceName is $status."
}
