// Installs a Debian package for a test tool (scripts/test-tools/*.mjs) when this runs as root on a
// machine with apt-get; refreshes the package lists once when the first attempt fails.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

/**
 * Installs `packageName` and returns what `found()` finds afterwards; throws "<why>; <installHint>"
 * when it cannot (not root, no apt-get, or the install failed).
 */
export function aptInstall({ packageName, env, log, found, installHint }) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || spawnSync('apt-get', ['--version'], { encoding: 'utf8' }).status !== 0) throw new Error(`not found; ${installHint}`);
    log(`installing ${packageName} with apt-get`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', packageName], { encoding: 'utf8', env: aptEnv });
    if (install.status !== 0) {
        spawnSync('apt-get', ['update'], { encoding: 'utf8', env: aptEnv });
        install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', packageName], { encoding: 'utf8', env: aptEnv });
    }
    const installed = found();
    if (install.status !== 0 || installed === undefined) {
        throw new Error(`installing it failed (${(install.stderr || install.stdout).trim().split('\n').pop()}); ${installHint}`);
    }
    return installed;
}
