#Requires -Version 5.1
<#
    restartHealthManager: the article's Restart-Service MSExchangeHM, on each target server (default:
    every Mailbox server, all at once), so that the Health Manager forgets that push was disabled. The caller
    waits the settle time (120 s in the article) with a durable timer, not here.
#>
[CmdletBinding()]
param(
    [string[]]$Servers
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$targets = Get-TargetServer -Names $Servers -RolePattern 'Mailbox'

# On each server itself, all at once (Invoke-OnEachServer): Restart-Service has no -ComputerName in
# Windows PowerShell, and a remote ServiceController restarted one server after the other.
$restartOnServer = {
    param([string]$ServiceName)
    Restart-Service -Name $ServiceName -ErrorAction Stop
    [pscustomobject]@{ done = $true }
}

$outcomes = @(Invoke-OnEachServer -Targets $targets -ScriptBlock $restartOnServer -ArgumentList @('MSExchangeHM'))

@{ servers = $outcomes }
