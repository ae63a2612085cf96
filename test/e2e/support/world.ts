import { join } from 'node:path';
import { silentSink } from '../../../lib/logger';
import { VirtualClock } from '../../../local/clock';
import { createLocalCloudTls, type LocalCloudTls } from '../../../local/identity/local-cloud';
import { reuseRsaKeys } from '../../../local/scenario/rsa-keys';
import { loadScenarioFile, type Scenario } from '../../../local/scenario/schema';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../local/stack/local-stack';

let sharedTls: LocalCloudTls | undefined;

// Worlds of one test file take their RSA keys from a rotating pool: key generation dominates start-up.
reuseRsaKeys(16);

export const DEFAULT_SCENARIO = join(__dirname, '..', '..', '..', 'local', 'scenarios', 'default.json');

export function scenarioPath(name: string): string {
    return join(__dirname, '..', '..', 'scenarios', `${name}.json`);
}

/** The app's log lines while tests run: none unless PPO_TEST_LOGS=1 (a test that reads them passes its own sink). */
const testLogSink = process.env.PPO_TEST_LOGS === '1' ? {} : { logSink: silentSink };

/** A local world on the virtual clock, on free ports, sharing TLS material within the test file. */
export async function startWorld(scenario: Scenario | string, options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
    sharedTls ??= createLocalCloudTls();
    const loaded = typeof scenario === 'string' ? await loadScenarioFile(scenario) : scenario;
    return startLocalStack({ scenario: loaded, clock: new VirtualClock(), port: 0, tls: sharedTls, ...testLogSink, ...options });
}
