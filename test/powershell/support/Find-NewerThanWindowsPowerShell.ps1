#Requires -Version 5.1
<#
.SYNOPSIS
    Lists what Windows PowerShell 5.1 lacks in the given scripts, by walking each script's syntax
    tree (PSScriptAnalyzer's PSUseCompatibleSyntax/PSUseCompatibleCommands do this; it is not
    available here). One JSON line: [{file, line, construct}].

.DESCRIPTION
    Syntax added after 5.1 (about_Operators / What's new in PowerShell 7.0 and later): the ternary
    operator, ?? and ??=, ?. and ?[], the && and || pipeline chains, clean {} blocks. Parameters
    added after 5.1 to cmdlets 5.1 has: ForEach-Object -Parallel, ConvertFrom-Json -AsHashtable and
    -Depth, ConvertTo-Json -AsArray and -EnumsAsStrings, Get-Content/Set-Content -AsByteStream,
    Invoke-RestMethod/Invoke-WebRequest -SkipCertificateCheck. Cmdlets 5.1 lacks: Join-String,
    Test-Json, Get-Error, ConvertFrom-Markdown. A script that does not parse is reported as well.
#>
param([Parameter(Mandatory = $true)][string[]]$Path)

# -File passes "a,b" as one string.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ -ne '' })

$newerParameters = @{
    'ForEach-Object'    = @('Parallel', 'ThrottleLimit', 'AsJob')
    'ConvertFrom-Json'  = @('AsHashtable', 'Depth', 'NoEnumerate')
    'ConvertTo-Json'    = @('AsArray', 'EnumsAsStrings', 'EscapeHandling')
    'Get-Content'       = @('AsByteStream')
    'Set-Content'       = @('AsByteStream')
    'Add-Content'       = @('AsByteStream')
    'Invoke-RestMethod' = @('SkipCertificateCheck', 'Authentication', 'StatusCodeVariable', 'ResponseHeadersVariable')
    'Invoke-WebRequest' = @('SkipCertificateCheck', 'Authentication')
    'Import-Csv'        = @('UseQuotes')
    'Select-String'     = @('Raw', 'NoEmphasis')
}
$newerCommands = @('Join-String', 'Test-Json', 'Get-Error', 'ConvertFrom-Markdown', 'Remove-Alias', 'Get-Uptime')

$problems = New-Object System.Collections.Generic.List[object]
foreach ($file in $Path) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    foreach ($parseError in @($errors)) {
        if ($null -ne $parseError) { $problems.Add(@{ file = $file; line = $parseError.Extent.StartLineNumber; construct = "parse error: $($parseError.Message)" }) }
    }
    $nodes = $ast.FindAll({ $true }, $true)
    foreach ($node in $nodes) {
        $kind = $node.GetType().Name
        $construct = $null
        if ($kind -eq 'TernaryExpressionAst') { $construct = 'ternary operator ?:' }
        elseif ($kind -eq 'PipelineChainAst') { $construct = 'pipeline chain && / ||' }
        elseif ($kind -eq 'BinaryExpressionAst' -and [string]$node.Operator -eq 'QuestionQuestion') { $construct = 'null-coalescing ??' }
        elseif ($kind -eq 'AssignmentStatementAst' -and [string]$node.Operator -eq 'QuestionQuestionEquals') { $construct = 'null-coalescing assignment ??=' }
        elseif (($kind -eq 'MemberExpressionAst' -or $kind -eq 'InvokeMemberExpressionAst' -or $kind -eq 'IndexExpressionAst') -and $null -ne $node.PSObject.Properties['NullConditional'] -and $node.NullConditional) { $construct = 'null-conditional ?. or ?[]' }
        elseif ($kind -eq 'NamedBlockAst' -and [string]$node.BlockKind -eq 'Clean') { $construct = 'clean block' }
        elseif ($kind -eq 'CommandAst') {
            $name = $node.GetCommandName()
            if ($null -ne $name) {
                if ($newerCommands -contains $name) { $construct = "command $name" }
                $known = $newerParameters.Keys | Where-Object { $_ -eq $name } | Select-Object -First 1
                if ($null -ne $known) {
                    foreach ($element in $node.CommandElements) {
                        if ($element.GetType().Name -ne 'CommandParameterAst') { continue }
                        $parameter = $newerParameters[$known] | Where-Object { $_ -like "$($element.ParameterName)*" -and $element.ParameterName.Length -ge 2 } | Select-Object -First 1
                        if ($null -ne $parameter) { $construct = "$name -$parameter" }
                    }
                }
            }
        }
        if ($null -ne $construct) { $problems.Add(@{ file = $file; line = $node.Extent.StartLineNumber; construct = $construct }) }
    }
}
ConvertTo-Json -InputObject @($problems.ToArray()) -Compress -Depth 4
