#Requires -Version 5.1
<#
.SYNOPSIS
    restartAuthServices: after the current Auth certificate changed, restarts MSExchangeServiceHost and
    recycles the MSExchangeOWAAppPool and MSExchangeECPAppPool application pools on each target server.

.DESCRIPTION
    Microsoft's procedure for a new Auth certificate (learn.microsoft.com/exchange/plan-and-deploy/
    integration-with-sharepoint-and-skype/maintain-oauth-certificate, and CSS-Exchange
    Admin/MonitorExchangeAuthCertificate/ConfigurationAction/New-ExchangeAuthCertificate.ps1, steps 4
    and 5) restarts the service whose AuthAdmin servicelet publishes the certificate and recycles the
    OWA and ECP pools, which keep using the old one until then. Restart-WebAppPool (WebAdministration
    module, learn.microsoft.com/powershell/module/webadministration/restart-webapppool) has no
    -ComputerName, so both run on the server itself through Invoke-Command (PowerShell remoting is
    enabled by default on Windows Server 2012 and later: about_Remote_Requirements), on every server at
    once (Invoke-OnEachServer in common.ps1). The module loads
    itself on first use (about_Modules, module auto-loading). The caller restarts MSExchangeHM and waits
    the settle time afterwards, as after every change on premises.

.PARAMETER Servers
    Server names; default every Mailbox or Client Access server (the servers that hold the certificate).
#>
[CmdletBinding()]
param(
    [string[]]$Servers
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

# Runs on the target server: nothing of this script's scope is visible there, so values come as arguments.
$restartOnServer = {
    param([string]$ServiceName, [string[]]$AppPools)
    Restart-Service -Name $ServiceName -ErrorAction Stop
    foreach ($pool in $AppPools) { Restart-WebAppPool -Name $pool -ErrorAction Stop }
    [pscustomobject]@{ done = $true }
}

$targets = Get-TargetServer -Names $Servers -RolePattern 'Mailbox|ClientAccess'

$outcomes = @(Invoke-OnEachServer -Targets $targets -ScriptBlock $restartOnServer -ArgumentList @('MSExchangeServiceHost', @('MSExchangeOWAAppPool', 'MSExchangeECPAppPool')))

@{ servers = $outcomes }
