import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { unprotectWithPowerShell } from '../../agent/load-config';
import { PowerShellExchangeShell } from '../../agent/shell/powershell-exchange-shell';

/**
 * Issue 15, finding 6: powershell.exe was spawned by its bare name, so the first powershell.exe on
 * the PATH (or, on Windows, in the working folder) ran with the agent's Exchange rights. A folder
 * first on the PATH holds a planted powershell.exe that leaves a mark when it runs; the agent must
 * start Windows PowerShell by its absolute path and never run it. Off Windows that path does not
 * exist, so the start fails, which is what the assertions allow.
 */
describe('a powershell.exe planted on the PATH', () => {
    let folder = '';
    let mark = '';

    beforeEach(async () => {
        folder = await mkdtemp(join(tmpdir(), 'ppo-planted-'));
        mark = join(folder, 'planted-ran');
        const planted = join(folder, 'powershell.exe');
        await writeFile(planted, `#!/bin/sh\ntouch '${mark}'\nexit 1\n`);
        await chmod(planted, 0o755);
        vi.stubEnv('PATH', `${folder}${delimiter}${process.env.PATH ?? ''}`);
        vi.stubEnv('SystemRoot', undefined);
        vi.stubEnv('SYSTEMROOT', undefined);
    });

    afterEach(async () => {
        vi.unstubAllEnvs();
        await rm(folder, { recursive: true, force: true });
    });

    it('is not what the Exchange shell starts', async () => {
        // Prepare
        const shell = new PowerShellExchangeShell({ connection: { mode: 'snapIn' }, startTimeoutMs: 5_000, callTimeoutMs: 5_000 });

        // Act
        const ready = shell.checkReady();

        // Assess
        await expect(ready).rejects.toThrow();
        await shell.close();
        expect(existsSync(mark)).toBe(false);
    });

    it('is not what decrypts the DPAPI-protected configuration', async () => {
        // Act
        const unprotected = unprotectWithPowerShell({ format: 'push-proxy-agent-config/dpapi-v1', scope: 'LocalMachine', entropy: 'e', protected: Buffer.from('x').toString('base64') });

        // Assess
        await expect(unprotected).rejects.toThrow();
        expect(existsSync(mark)).toBe(false);
    });
});
