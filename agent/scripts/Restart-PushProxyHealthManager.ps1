#Requires -Version 5.1
<#
    restartHealthManager: the article's Restart-Service MSExchangeHM, on each target server (default:
    every Mailbox server), so that the Health Manager forgets that push was disabled. The caller
    waits the settle time (120 s in the article) with a durable timer, not here.
#>
[CmdletBinding()]
param(
    [string[]]$Servers
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$targets = Get-TargetServer -Names $Servers -RolePattern 'Mailbox'

$outcomes = @(foreach ($server in $targets) {
        $name = [string]$server.Name
        try {
            # Restart-Service has no -ComputerName in Windows PowerShell; a remote ServiceController does.
            $service = Get-Service -ComputerName ([string]$server.Fqdn) -Name 'MSExchangeHM' -ErrorAction Stop
            $service | Restart-Service -ErrorAction Stop
            @{ server = $name; restarted = $true; restartedAt = ConvertTo-IsoUtc (Get-Date); error = $null }
        }
        catch {
            @{ server = $name; restarted = $false; restartedAt = $null; error = $_.Exception.Message }
        }
    })

@{ servers = $outcomes }
