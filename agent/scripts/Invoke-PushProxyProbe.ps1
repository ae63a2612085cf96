#Requires -Version 5.1
<#
    invokeProbe: the article's check. Invoke-MonitoringProbe
    PushNotifications.Proxy\PushNotificationsEnterpriseConnectivityProbe on a Mailbox server
    (default: the first one, as the article picks it); Succeeded means push notifications work.
#>
[CmdletBinding()]
param(
    [string]$Server
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

if ([string]::IsNullOrEmpty($Server)) {
    $mailboxServers = @(Get-ExchangeServer -ErrorAction Stop | Where-Object { ([string]$_.ServerRole) -match 'Mailbox' })
    if ($mailboxServers.Count -eq 0) { throw 'Cannot find a Mailbox server in the current site.' }
    $target = $mailboxServers[0]
}
else {
    $target = Get-ExchangeServer -Identity $Server -ErrorAction Stop
}

$probeIdentity = 'PushNotifications.Proxy\PushNotificationsEnterpriseConnectivityProbe'
$result = @(Invoke-MonitoringProbe -Identity $probeIdentity -Server ([string]$target.Fqdn) -ErrorAction Stop) | Select-Object -Last 1
if ($null -eq $result) { throw "Invoke-MonitoringProbe returned no result for $probeIdentity." }

@{
    server           = [string]$target.Name
    resultType       = [string]$result.ResultType
    error            = ConvertTo-NullableText $result.Error
    exception        = ConvertTo-NullableText $result.Exception
    executionEndTime = ConvertTo-IsoUtc $result.ExecutionEndTime
}
