#Requires -Version 5.1
<#
    enablePushProxy: the article's Enable-PushNotificationProxy -Organization <tenant domain>, with -Uri
    the push notification service of the tenant's cloud (the cmdlet's default is the worldwide one).
    Returns the app object the article shows and whether anything changed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9.-]+$')][string]$Organization,
    [Parameter(Mandatory = $true)][ValidatePattern('^https://[A-Za-z0-9.-]+/PushNotifications$')][string]$Uri
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

$before = Get-PushProxyApp
$wasEnabled = ($null -ne $before) -and [bool]$before.Enabled -and ([string]$before.Organization -eq $Organization) -and ([string]$before.Uri -eq $Uri)

$app = Enable-PushNotificationProxy -Organization $Organization -Uri $Uri -ErrorAction Stop
if ($null -eq $app) { $app = Get-PushProxyApp }
if ($null -eq $app) { throw 'Enable-PushNotificationProxy returned no push notification app.' }

@{ changed = -not $wasEnabled; app = ConvertTo-PushAppState $app }
