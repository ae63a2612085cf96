<#
.SYNOPSIS
Runs install-service.ps1's Assert-ConfigPrivate on access control lists given as JSON, for the tests.

.DESCRIPTION
Get-Acl and the ACL types are Windows-only in PowerShell 7 on Linux, so this defines Get-Acl as a
function returning that list (a function wins over a cmdlet of the same name) and loads only the
installer's two functions from its syntax tree: the installer itself never runs. Prints one
{"refused": bool, "message": text} per list, as a JSON array.

.PARAMETER InstallerPath
agent/install-service.ps1.

.PARAMETER AclsJson
[[{"sid": "S-1-5-32-545", "rights": 131241, "type": "Allow"}, ...], ...]: FileSystemRights as a number.

.PARAMETER AllowedSids
The SIDs allowed to read, comma-separated: SYSTEM, Administrators and the administrator running the installer.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $InstallerPath,
    [Parameter(Mandatory = $true)] [string] $AclsJson,
    [Parameter(Mandatory = $true)] [string] $AllowedSids
)
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

$script:Rules = @()

function ConvertTo-AccessRules($Acl) {
    return @($Acl | ForEach-Object {
        [pscustomobject]@{
            IdentityReference = [pscustomobject]@{ Value = $_.sid }
            FileSystemRights  = [int64]$_.rights
            AccessControlType = $_.type
        }
    })
}

function Get-Acl([string] $LiteralPath) {
    $acl = [pscustomobject]@{ Path = $LiteralPath }
    $acl | Add-Member -MemberType ScriptMethod -Name GetAccessRules -Value { $script:Rules }
    return $acl
}

$tree = [System.Management.Automation.Language.Parser]::ParseFile($InstallerPath, [ref]$null, [ref]$null)
foreach ($name in @('Get-UnexpectedConfigReaders', 'Assert-ConfigPrivate')) {
    $definition = $tree.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $name }, $true)
    if ($null -eq $definition) { throw "install-service.ps1 defines no function $name" }
    . ([scriptblock]::Create($definition.Extent.Text))
}

$results = foreach ($acl in @(ConvertFrom-Json $AclsJson)) {
    $script:Rules = ConvertTo-AccessRules $acl
    try {
        Assert-ConfigPrivate -Path 'C:\PushProxySetup\agent-config.json' -AllowedSids ($AllowedSids -split ',')
        [pscustomobject]@{ refused = $false; message = '' }
    }
    catch {
        [pscustomobject]@{ refused = $true; message = $_.Exception.Message }
    }
}
ConvertTo-Json -InputObject @($results) -Compress
