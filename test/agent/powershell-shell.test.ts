import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyExchangeError, PowerShellExchangeShell, powershellArguments, windowsPowerShellPath } from '../../agent/shell/powershell-exchange-shell';
import { PermanentError, TransientError } from '../../lib/errors';
import { useTempFolders } from './support/temp-folder';

const newFolder = useTempFolders();
const STAND_IN = resolve(__dirname, 'fixtures/fake-powershell-host.mjs');

interface Echo {
    readonly pid: number;
    readonly script: string;
    readonly parameters: Record<string, unknown>;
}

async function standInShell(env: Record<string, string> = {}, timeouts: { startTimeoutMs?: number; callTimeoutMs?: number } = {}) {
    const loadLog = join(await newFolder(), 'loads.log');
    const shell = new PowerShellExchangeShell({
        connection: { mode: 'snapIn' },
        command: process.execPath,
        args: [STAND_IN],
        env: { ...process.env, STAND_IN_LOAD_LOG: loadLog, ...env },
        startTimeoutMs: timeouts.startTimeoutMs ?? 20_000,
        callTimeoutMs: timeouts.callTimeoutMs ?? 20_000,
    });
    const loads = async () => (await readFile(loadLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    return { shell, loads };
}

async function probe(shell: PowerShellExchangeShell, server: string): Promise<Echo> {
    return (await shell.invokeProbe({ server })) as unknown as Echo;
}

describe('PowerShellExchangeShell process handling (stand-in host)', () => {
    it('loads once and runs many calls in the same process, one at a time', async () => {
        // Prepare
        const { shell, loads } = await standInShell({ STAND_IN_START_DELAY_MS: '200' });

        // Act
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => probe(shell, `EX${i}`)));
        await shell.close();

        // Assess
        expect(new Set(results.map((result) => result.pid)).size).toBe(1);
        expect(results.map((result) => result.parameters.Server)).toEqual(Array.from({ length: 12 }, (_, i) => `EX${i}`));
        expect(shell.starts).toBe(1);
        expect(await loads()).toBe(1);
    });

    it('binds values as named parameters of the allowlisted script', async () => {
        // Prepare
        const { shell } = await standInShell();

        // Act
        const echo = (await shell.setAuthConfig({ action: 'stageNext', thumbprint: 'AB'.repeat(20), effectiveDate: '2026-02-01T00:00:00Z' })) as unknown as Echo;
        await shell.close();

        // Assess
        expect(echo.script).toBe('setAuthConfig');
        expect(echo.parameters).toEqual({ Action: 'stageNext', Thumbprint: 'AB'.repeat(20), EffectiveDate: '2026-02-01T00:00:00Z' });
    });

    it('recovers from a crash: the call fails transiently and the next one runs in a new process', async () => {
        // Prepare
        const { shell, loads } = await standInShell();
        const before = await probe(shell, 'EX1');

        // Act
        const crashed = probe(shell, 'crash');
        await expect(crashed).rejects.toBeInstanceOf(TransientError);
        const after = await probe(shell, 'EX1');
        await shell.close();

        // Assess
        await expect(crashed).rejects.toMatchObject({ code: 'shell_unavailable' });
        expect(after.pid).not.toBe(before.pid);
        expect(await loads()).toBe(2);
    });

    it('fires the per-call timeout on a hang, kills the host and recovers', async () => {
        // Prepare
        const { shell, loads } = await standInShell({}, { callTimeoutMs: 300 });
        const before = await probe(shell, 'EX1');

        // Act
        const hung = probe(shell, 'hang');
        await expect(hung).rejects.toMatchObject({ code: 'shell_timeout', transient: true });
        const after = await probe(shell, 'EX1');
        await shell.close();

        // Assess
        expect(after.pid).not.toBe(before.pid);
        expect(await loads()).toBe(2);
    });

    it('ignores garbage and stray lines on stdout and still returns the real reply', async () => {
        // Prepare
        const { shell } = await standInShell();
        const before = await probe(shell, 'EX1');

        // Act
        const result = await probe(shell, 'garbage');
        await shell.close();

        // Assess
        expect(result.parameters.Server).toBe('garbage');
        expect(result.pid).toBe(before.pid);
    });

    it('fails transiently when the host does not become ready in time', async () => {
        // Prepare
        const slow = await standInShell({ STAND_IN_START_DELAY_MS: '10000' }, { startTimeoutMs: 200 });

        // Act
        const call = probe(slow.shell, 'EX1');

        // Assess
        await expect(call).rejects.toMatchObject({ code: 'shell_unavailable', transient: true });
        await slow.shell.close();
    });

    it('reports a host that cannot load Exchange', async () => {
        // Prepare
        const { shell } = await standInShell({ STAND_IN_FATAL: 'The Windows PowerShell snap-in Microsoft.Exchange.Management.PowerShell.SnapIn is not installed.' });

        // Act
        const check = shell.checkReady();

        // Assess
        await expect(check).rejects.toMatchObject({ code: 'shell_unavailable', message: expect.stringContaining('snap-in') as string });
    });

    it('reports missing Exchange cmdlets from the ready line', async () => {
        // Prepare
        const { shell } = await standInShell({ STAND_IN_MISSING: 'Set-AuthConfig,Invoke-MonitoringProbe' });

        // Act
        const readiness = await shell.checkReady();
        await shell.close();

        // Assess
        expect(readiness).toEqual({ mode: 'standIn', missingCmdlets: ['Set-AuthConfig', 'Invoke-MonitoringProbe'] });
    });

    it('turns a script error into a PermanentError without the secret values it echoed', async () => {
        // Prepare
        const { shell } = await standInShell({ STAND_IN_FAIL_SCRIPT: 'installCertificate' });
        const pfx = Buffer.from('pretend-pfx-bytes-that-are-secret');

        // Act
        const call = shell.installCertificate({ thumbprint: 'AB'.repeat(20), source: { kind: 'pfx', pfx, password: 'S3cret-Pfx-Pass' }, servers: undefined, privateKeyExportable: true });

        // Assess
        await expect(call).rejects.toBeInstanceOf(PermanentError);
        const error = (await call.catch((e: unknown) => e)) as PermanentError;
        expect(error.code).toBe('exchange_failed');
        expect(error.message).toContain('PfxPassword');
        expect(error.message).not.toContain('S3cret-Pfx-Pass');
        expect(error.message).not.toContain(pfx.toString('base64'));
        await shell.close();
    });

    it('builds the Windows PowerShell command line without any secret', () => {
        // Act
        const remote = powershellArguments('C:\\agent\\scripts', { mode: 'remote', connectionUri: 'http://ex1.corp.contoso.com/PowerShell/' });

        // Assess
        expect(remote).toEqual([
            '-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass',
            '-File', join('C:\\agent\\scripts', 'host.ps1'), '-ScriptsFolder', 'C:\\agent\\scripts',
            '-Mode', 'Remote', '-ConnectionUri', 'http://ex1.corp.contoso.com/PowerShell/', '-Authentication', 'Kerberos',
        ]);
    });
});

describe('how the agent starts Windows PowerShell and reads its errors', () => {
    it.each([
        { env: { SystemRoot: 'D:\\Windows' }, expected: 'D:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' },
        { env: {}, expected: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' },
    ])('starts Windows PowerShell by its absolute path ($expected), not a bare name the PATH resolves', ({ env, expected }) => {
        // Act
        const path = windowsPowerShellPath(env);

        // Assess
        expect(path).toBe(expected);
    });

    it.each([
        { errorId: 'JobFailure', exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException', code: 'exchange_unreachable', transient: true },
        { errorId: 'System.Management.Automation.Remoting.PSRemotingTransportException,Microsoft.PowerShell.Commands.NewPSSessionCommand', exceptionType: null, code: 'exchange_unreachable', transient: true },
        { errorId: '5A1B0C2D,Microsoft.Exchange.Management.SystemConfigurationTasks.SetAuthConfig', exceptionType: 'System.InvalidOperationException', code: 'exchange_failed', transient: false },
        { errorId: null, exceptionType: null, code: 'exchange_failed', transient: false },
    ])('classifies $errorId / $exceptionType as $code', ({ errorId, exceptionType, code, transient }) => {
        // Act
        const error = classifyExchangeError('setAuthConfig', 'it failed', errorId, exceptionType);

        // Assess
        expect(error).toMatchObject({ code, transient, message: expect.stringContaining('it failed') as unknown });
    });
});
