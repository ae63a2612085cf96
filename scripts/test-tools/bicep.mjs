// The Bicep compiler, for `npm run infra:check` and the infrastructure tests (test/infra), which compile
// infra/main.bicep and lint it. PPO_TEST_BICEP names it; otherwise, on Linux x64, the version pinned in
// tools/bicep/bicep.csproj, brought from NuGet (package Azure.Bicep.CommandLine.linux-x64) by
// `dotnet restore` into tools/bicep/packages/ (git-ignored) when missing. One pinned version, so that
// the linter's rules, and so the test's verdict, do not depend on which compiler a machine has.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const name = 'Bicep';

/** The version tools/bicep/bicep.csproj pins: the one place it is written. */
export function pinnedVersion(root) {
    const project = readFileSync(join(root, 'tools', 'bicep', 'bicep.csproj'), 'utf8');
    const match = /<BicepVersion>([^<]+)<\/BicepVersion>/.exec(project);
    if (!match) throw new Error('tools/bicep/bicep.csproj has no <BicepVersion>');
    return match[1];
}

function installHint(version) {
    return `install the Bicep CLI ${version} (https://learn.microsoft.com/azure/azure-resource-manager/bicep/install) and set PPO_TEST_BICEP to its path`;
}

/** The compiler's version ("0.49.2"), or undefined when the file does not run. */
function versionOf(executable) {
    const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    return result.status === 0 ? /(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] : undefined;
}

export async function ensure({ env, root, log }) {
    const version = pinnedVersion(root);
    if (env.PPO_TEST_BICEP) {
        const found = versionOf(env.PPO_TEST_BICEP);
        if (!found) throw new Error(`PPO_TEST_BICEP=${env.PPO_TEST_BICEP} does not run; ${installHint(version)}`);
        if (found !== version) log(`PPO_TEST_BICEP is Bicep ${found}; the project pins ${version}, whose linter rules the tests expect`);
        return { PPO_TEST_BICEP: env.PPO_TEST_BICEP };
    }
    if (process.platform !== 'linux' || process.arch !== 'x64') {
        throw new Error(`no Bicep compiler is brought for ${process.platform}-${process.arch}; ${installHint(version)}`);
    }
    const project = join(root, 'tools', 'bicep');
    const executable = join(project, 'packages', 'azure.bicep.commandline.linux-x64', version, 'tools', 'bicep');
    if (versionOf(executable) === version) return { PPO_TEST_BICEP: executable };
    if (spawnSync('dotnet', ['--version'], { encoding: 'utf8' }).status !== 0) throw new Error(`no Bicep compiler and no .NET SDK to restore it with; ${installHint(version)}`);
    log(`restoring the Bicep compiler ${version} from NuGet into tools/bicep/packages`);
    const restore = spawnSync('dotnet', ['restore', join(project, 'bicep.csproj')], {
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    if (restore.status !== 0 || !existsSync(executable) || versionOf(executable) !== version) {
        throw new Error(`restoring it failed (${(restore.stderr || restore.stdout || '').trim().split('\n').pop()}); ${installHint(version)}`);
    }
    return { PPO_TEST_BICEP: executable };
}
