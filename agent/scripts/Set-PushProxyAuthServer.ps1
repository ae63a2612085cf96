#Requires -Version 5.1
<#
    ensureAuthServer: the article's AuthServer step exactly. Create MicrosoftSts when it is missing,
    update it when its AuthMetadataUrl differs, otherwise leave it; report which.
#>
[CmdletBinding()]
param(
    [ValidatePattern('^[A-Za-z0-9_.-]{1,64}$')][string]$Name = 'MicrosoftSts',
    [Parameter(Mandatory = $true)][ValidatePattern('^https://')][string]$AuthMetadataUrl
)

. (Join-Path $PSScriptRoot 'common.ps1')
$ErrorActionPreference = 'Stop'

# Listed then filtered: "-Identity ... -ErrorAction SilentlyContinue" turned any failure into "missing".
$authServer = @(Get-AuthServer -ErrorAction Stop | Where-Object { ([string]$_.Name) -eq $Name }) | Select-Object -First 1
if ($null -eq $authServer) {
    $null = New-AuthServer -Name $Name -AuthMetadataUrl $AuthMetadataUrl -Confirm:$false -ErrorAction Stop
    $action = 'created'
}
elseif ([string]$authServer.AuthMetadataUrl -ne $AuthMetadataUrl) {
    Set-AuthServer -Identity $Name -AuthMetadataUrl $AuthMetadataUrl -Confirm:$false -ErrorAction Stop
    $action = 'updated'
}
else {
    $action = 'unchanged'
}

@{ name = $Name; authMetadataUrl = $AuthMetadataUrl; action = $action }
