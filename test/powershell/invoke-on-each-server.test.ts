import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findPowerShell } from '../../local/exchange/powershell/powershell-double';

const COMMON = resolve(__dirname, '../../agent/scripts/common.ps1');

/**
 * Invoke-OnEachServer (common.ps1) against what Windows PowerShell 5.1's Invoke-Command gives back
 * for four computers: an answer carrying PSComputerName (about_Remote_Output); a RemotingErrorRecord
 * whose OriginInfo names the computer the block failed on; an error record naming a computer whose
 * session could not be opened; and nothing at all.
 */
const SCRIPT = `
. '${COMMON.replace(/'/g, "''")}'
function Invoke-Command {
    [CmdletBinding()]
    param([string[]]$ComputerName, [scriptblock]$ScriptBlock, [object[]]$ArgumentList, [int]$ThrottleLimit)
    $answer = [pscustomobject]@{ done = $true }
    Add-Member -InputObject $answer -NotePropertyName PSComputerName -NotePropertyValue 'ex1.corp.contoso.com'
    $PSCmdlet.WriteObject($answer)
    $inner = New-Object System.Management.Automation.ErrorRecord -ArgumentList @((New-Object System.InvalidOperationException -ArgumentList 'Service MSExchangeHM cannot be started.'), 'StartServiceFailed', 'OpenError', 'MSExchangeHM')
    $origin = New-Object System.Management.Automation.Remoting.OriginInfo -ArgumentList @('ex2.corp.contoso.com', [guid]::Empty)
    $PSCmdlet.WriteError((New-Object System.Management.Automation.Runspaces.RemotingErrorRecord -ArgumentList @($inner, $origin)))
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord -ArgumentList @((New-Object System.Management.Automation.Remoting.PSRemotingTransportException -ArgumentList 'Connecting to remote server ex3.corp.contoso.com failed with the following error message : WinRM cannot complete the operation.'), 'CannotConnect,PSSessionStateBroken', 'OpenError', 'ex3.corp.contoso.com')))
}
$ErrorActionPreference = 'Stop'
$targets = @('EX1', 'EX2', 'EX3', 'EX4') | ForEach-Object { [pscustomobject]@{ Name = $_; Fqdn = "$($_.ToLowerInvariant()).corp.contoso.com" } }
@(Invoke-OnEachServer -Targets $targets -ScriptBlock { $true }) | ForEach-Object { [pscustomobject]@{ server = $_.server; restarted = $_.restarted; error = $_.error } } | ConvertTo-Json -Compress
`;

describe('Invoke-OnEachServer: one Invoke-Command over many servers, reported per server', () => {
    it('names each server that failed with its own error, and only those', async () => {
        // Prepare
        const pwsh = findPowerShell();

        // Act
        const { stdout } = await promisify(execFile)(pwsh, ['-NoProfile', '-NonInteractive', '-Command', SCRIPT], { timeout: 60_000 });

        // Assess
        expect(JSON.parse(stdout)).toEqual([
            { server: 'EX1', restarted: true, error: null },
            { server: 'EX2', restarted: false, error: 'Service MSExchangeHM cannot be started.' },
            { server: 'EX3', restarted: false, error: 'Connecting to remote server ex3.corp.contoso.com failed with the following error message : WinRM cannot complete the operation.' },
            { server: 'EX4', restarted: false, error: 'No answer from ex4.corp.contoso.com.' },
        ]);
    }, 60_000);
});
