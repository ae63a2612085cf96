// Headless Chromium for the console's browser tests (test/console), driven by playwright-core: Debian's
// `chromium` package, because the browser download Playwright attempts by default is not reachable from
// every machine. PPO_TEST_CHROMIUM names the executable; otherwise `chromium` on the PATH or in /usr/bin,
// installed with apt-get when missing and this runs as root.
import { spawnSync } from 'node:child_process';
import { aptInstall } from '../apt-install.mjs';

export const name = 'Chromium';
const installHint = 'install Chromium (`apt-get install -y chromium` on Debian, `chromium-browser` elsewhere) or set PPO_TEST_CHROMIUM to a Chromium or Chrome executable';

function works(executable) {
    const result = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    return result.status === 0 && /chrom/i.test(result.stdout);
}

function found() {
    // An absolute path first: playwright-core launches the executablePath it is given, without a PATH search.
    return ['/usr/bin/chromium', 'chromium', 'chromium-browser'].find(works);
}

export async function ensure({ env, log }) {
    if (env.PPO_TEST_CHROMIUM) {
        if (!works(env.PPO_TEST_CHROMIUM)) throw new Error(`PPO_TEST_CHROMIUM=${env.PPO_TEST_CHROMIUM} does not run; ${installHint}`);
        return { PPO_TEST_CHROMIUM: env.PPO_TEST_CHROMIUM };
    }
    const existing = found();
    if (existing !== undefined) return { PPO_TEST_CHROMIUM: existing };
    const installed = aptInstall({ packageName: 'chromium', env, log, found, installHint });
    return { PPO_TEST_CHROMIUM: installed };
}
