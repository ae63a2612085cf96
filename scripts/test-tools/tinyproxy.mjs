// A real HTTP CONNECT proxy for the relay tests of an agent behind a corporate proxy: Debian's
// tinyproxy. PPO_TEST_TINYPROXY names the executable; otherwise `tinyproxy` on the PATH or in
// /usr/bin or /usr/sbin, installed with apt-get when missing and this runs as root. The tests start
// their own instance on a loopback port with a configuration file they write (never the system service).
import { spawnSync } from 'node:child_process';
import process from 'node:process';

export const name = 'tinyproxy';
const installHint = 'install tinyproxy (`apt-get install -y tinyproxy` on Debian/Ubuntu) or set PPO_TEST_TINYPROXY to a tinyproxy executable';

function works(executable) {
    const result = spawnSync(executable, ['-v'], { encoding: 'utf8', timeout: 10_000 });
    return result.status === 0 && /tinyproxy/i.test(`${result.stdout}${result.stderr}`);
}

function found() {
    return ['tinyproxy', '/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'].find(works);
}

export async function ensure({ env, log }) {
    if (env.PPO_TEST_TINYPROXY) {
        if (!works(env.PPO_TEST_TINYPROXY)) throw new Error(`PPO_TEST_TINYPROXY=${env.PPO_TEST_TINYPROXY} does not run; ${installHint}`);
        return { PPO_TEST_TINYPROXY: env.PPO_TEST_TINYPROXY };
    }
    const existing = found();
    if (existing !== undefined) return { PPO_TEST_TINYPROXY: existing };
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || spawnSync('apt-get', ['--version'], { encoding: 'utf8' }).status !== 0) throw new Error(`not found; ${installHint}`);
    log('installing tinyproxy with apt-get');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'tinyproxy'], { encoding: 'utf8', env: aptEnv });
    if (install.status !== 0) {
        spawnSync('apt-get', ['update'], { encoding: 'utf8', env: aptEnv });
        install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'tinyproxy'], { encoding: 'utf8', env: aptEnv });
    }
    const installed = found();
    if (install.status !== 0 || installed === undefined) {
        throw new Error(`installing it failed (${(install.stderr || install.stdout).trim().split('\n').pop()}); ${installHint}`);
    }
    // The package starts the system service; the tests never use it, and it holds port 8888.
    spawnSync('service', ['tinyproxy', 'stop'], { encoding: 'utf8' });
    return { PPO_TEST_TINYPROXY: installed };
}
