// Headless Chromium for the console's browser tests (test/console), driven by playwright-core: Debian's
// `chromium` package, because the browser download Playwright attempts by default is not reachable from
// every machine. PPO_TEST_CHROMIUM names the executable; otherwise `chromium` on the PATH or in /usr/bin,
// installed with apt-get when missing and this runs as root.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

export const name = 'Chromium';
const installHint = 'install Chromium (`apt-get install -y chromium` on Debian, `chromium-browser` elsewhere) or set PPO_TEST_CHROMIUM to a Chromium or Chrome executable';

function works(executable) {
    const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    return result.status === 0 && /chrom/i.test(result.stdout);
}

function found() {
    return ['chromium', '/usr/bin/chromium', 'chromium-browser'].find(works);
}

export async function ensure({ env, log }) {
    if (env.PPO_TEST_CHROMIUM) {
        if (!works(env.PPO_TEST_CHROMIUM)) throw new Error(`PPO_TEST_CHROMIUM=${env.PPO_TEST_CHROMIUM} does not run; ${installHint}`);
        return { PPO_TEST_CHROMIUM: env.PPO_TEST_CHROMIUM };
    }
    const existing = found();
    if (existing !== undefined) return { PPO_TEST_CHROMIUM: existing };
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || spawnSync('apt-get', ['--version'], { encoding: 'utf8' }).status !== 0) throw new Error(`not found; ${installHint}`);
    log('installing chromium with apt-get');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { encoding: 'utf8', env: aptEnv });
    if (install.status !== 0) {
        spawnSync('apt-get', ['update'], { encoding: 'utf8', env: aptEnv });
        install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { encoding: 'utf8', env: aptEnv });
    }
    const installed = found();
    if (install.status !== 0 || installed === undefined) {
        throw new Error(`installing it failed (${(install.stderr || install.stdout).trim().split('\n').pop()}); ${installHint}`);
    }
    return { PPO_TEST_CHROMIUM: installed };
}
