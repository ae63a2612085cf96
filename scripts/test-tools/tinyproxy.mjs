// A real HTTP CONNECT proxy for the relay tests of an agent behind a corporate proxy: Debian's
// tinyproxy. PPO_TEST_TINYPROXY names the executable; otherwise `tinyproxy` on the PATH or in
// /usr/bin or /usr/sbin, installed with apt-get when missing and this runs as root. The tests start
// their own instance on a loopback port with a configuration file they write (never the system service).
import { spawnSync } from 'node:child_process';
import { aptInstall } from '../apt-install.mjs';

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
    const installed = aptInstall({ packageName: 'tinyproxy', env, log, found, installHint });
    // The package starts the system service; the tests never use it, and it holds port 8888.
    spawnSync('service', ['tinyproxy', 'stop'], { encoding: 'utf8' });
    return { PPO_TEST_TINYPROXY: installed };
}
