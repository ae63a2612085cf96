// PowerShell for the agent's script suites. PPO_TEST_POWERSHELL names it (an administrator on Windows
// can point it at powershell.exe 5.1, the PowerShell Exchange servers run); otherwise `pwsh` on the
// PATH or in ~/.dotnet/tools, installed as a .NET tool when missing (the version is named because the
// tool's default version does not install).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const name = 'PowerShell';
const version = '7.6.10';
const installHint = `install PowerShell 7 (\`dotnet tool install --global PowerShell --version ${version}\`) or set PPO_TEST_POWERSHELL to a PowerShell executable (powershell.exe on Windows)`;

function works(executable) {
    const result = spawnSync(executable, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
        encoding: 'utf8',
        timeout: 60_000,
    });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

export async function ensure({ env, log }) {
    if (env.PPO_TEST_POWERSHELL) {
        if (!works(env.PPO_TEST_POWERSHELL)) throw new Error(`PPO_TEST_POWERSHELL=${env.PPO_TEST_POWERSHELL} does not run; ${installHint}`);
        return { PPO_TEST_POWERSHELL: env.PPO_TEST_POWERSHELL };
    }
    const dotnetTool = join(homedir(), '.dotnet', 'tools', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    for (const candidate of ['pwsh', dotnetTool]) {
        if (works(candidate)) return { PPO_TEST_POWERSHELL: candidate };
    }
    if (spawnSync('dotnet', ['--version'], { encoding: 'utf8' }).status !== 0) throw new Error(`no PowerShell and no .NET SDK to install it with; ${installHint}`);
    log(`installing PowerShell ${version} as a .NET tool`);
    const install = spawnSync('dotnet', ['tool', 'install', '--global', 'PowerShell', '--version', version], {
        encoding: 'utf8',
        env: { ...env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    if (install.status !== 0 || !existsSync(dotnetTool) || !works(dotnetTool)) {
        throw new Error(`installing it failed (${(install.stderr || install.stdout).trim().split('\n').pop()}); ${installHint}`);
    }
    return { PPO_TEST_POWERSHELL: dotnetTool };
}
