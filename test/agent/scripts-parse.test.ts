import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_SCRIPT, HOST_SCRIPT, OPERATION_SCRIPTS, REQUIRED_CMDLETS } from '../../agent/shell/script-catalog';
import { nodeTypes, powershellSyntaxProblems } from './support/powershell-parser';

const REPO = resolve(__dirname, '../..');
const SCRIPTS = join(REPO, 'agent/scripts');
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'coverage']);

async function findPowerShellFiles(folder: string): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
        if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...(await findPowerShellFiles(join(folder, entry.name))));
        else if (entry.isFile() && entry.name.toLowerCase().endsWith('.ps1')) found.push(join(folder, entry.name));
    }
    return found;
}

const allScripts = await findPowerShellFiles(REPO);
const operationScripts = Object.values(OPERATION_SCRIPTS).map((file) => join(SCRIPTS, file));

describe('PowerShell scripts', () => {
    it('finds the agent scripts among the repository scripts', () => {
        // Assess
        expect(allScripts).toEqual(expect.arrayContaining([...operationScripts, join(SCRIPTS, HOST_SCRIPT), join(SCRIPTS, COMMON_SCRIPT)]));
    });

    it.each(allScripts.map((path) => [relative(REPO, path), path]))('%s parses without errors', async (_name, path) => {
        // Prepare
        const source = await readFile(path, 'utf8');

        // Act
        const { problems } = await powershellSyntaxProblems(source);

        // Assess
        expect(problems).toEqual([]);
    });

    it.each([
        ['an unclosed if', 'if ($a -eq 1) {\n    Write-Output 1\n'],
        ['a broken param block', '[CmdletBinding()]\nparam([string]$A,, [int]$B)\n'],
        ['an unterminated hashtable', '$x = @{ a = 1; b = \n'],
    ])('the check fails on %s', async (_label, broken) => {
        // Act
        const { problems } = await powershellSyntaxProblems(broken);

        // Assess
        expect(problems.length).toBeGreaterThan(0);
    });

    it.each(operationScripts.map((path) => [basename(path), path]))('%s binds its values through a param() block', async (_name, path) => {
        // Prepare
        const source = await readFile(path, 'utf8');

        // Act
        const { root } = await powershellSyntaxProblems(source);

        // Assess
        expect(nodeTypes(root).has('param_block')).toBe(true);
        expect(source).toMatch(/\[CmdletBinding\(\)\]\s*param\(/);
    });

    it.each(allScripts.filter((path) => path.startsWith(SCRIPTS)).map((path) => [basename(path), path]))('%s never evaluates text as code', async (_name, path) => {
        // Prepare
        const source = await readFile(path, 'utf8');

        // Act
        const evaluators = source.match(/\b(Invoke-Expression|iex|Add-Type|\[scriptblock\]::Create|NewScriptBlock)\b/gi);

        // Assess
        expect(evaluators).toBeNull();
    });

    it('host.ps1 allowlists exactly the operation scripts and checks the required cmdlets', async () => {
        // Prepare
        const host = await readFile(join(SCRIPTS, HOST_SCRIPT), 'utf8');

        // Act
        const allowlist: Record<string, string | undefined> = Object.fromEntries(
            [...host.matchAll(/^\s*'(\w+)'\s*=\s*'([\w-]+\.ps1)'/gm)].map((match): [string, string | undefined] => [match[1] ?? '', match[2]]),
        );
        const cmdlets = [...(host.match(/\$requiredCmdlets = @\(([\s\S]*?)\)/)?.[1] ?? '').matchAll(/'([\w-]+)'/g)].map((match) => match[1]);

        // Assess
        expect(allowlist).toEqual(OPERATION_SCRIPTS);
        expect(cmdlets).toEqual([...REQUIRED_CMDLETS]);
    });

    it.each([
        ['Get-PushProxyInventory.ps1', ['Get-ExchangeServer', 'Get-ExchangeCertificate', 'Get-AuthConfig', 'Get-AuthServer', 'Get-AcceptedDomain', 'Get-OrganizationConfig', 'Get-OrganizationDnsDomain']],
        ['Install-PushProxyCertificate.ps1', ['Import-ExchangeCertificate', 'Export-ExchangeCertificate', '-BinaryEncoded', '-PrivateKeyExportable', 'X509KeyStorageFlags]::MachineKeySet']],
        ['Set-PushProxyAuthConfig.ps1', ['-CertificateThumbprint $Thumbprint -Force', '-NewCertificateThumbprint', '-NewCertificateEffectiveDate', '-PublishCertificate', '-ClearPreviousCertificate']],
        ['Set-PushProxyAuthServer.ps1', ['New-AuthServer', 'Set-AuthServer', '-AuthMetadataUrl']],
        ['Enable-PushProxy.ps1', ['Enable-PushNotificationProxy -Organization $Organization -Uri $Uri']],
        ['Restart-PushProxyHealthManager.ps1', ["'MSExchangeHM'", 'Restart-Service']],
        ['Restart-PushProxyAuthServices.ps1', ["'MSExchangeServiceHost'", "'MSExchangeOWAAppPool'", "'MSExchangeECPAppPool'", 'Restart-WebAppPool', 'Invoke-Command']],
        ['Invoke-PushProxyProbe.ps1', ['Invoke-MonitoringProbe', 'PushNotifications.Proxy\\PushNotificationsEnterpriseConnectivityProbe']],
    ])('%s uses the article cmdlets', async (file, expected) => {
        // Prepare
        const source = await readFile(join(SCRIPTS, file), 'utf8');

        // Act
        const missing = expected.filter((text) => !source.includes(text));

        // Assess
        expect(missing).toEqual([]);
    });
});
