import type { Logger } from '../lib/logger';
import { RealClock } from '../local/clock';
import { generateScenarioCertificates, ScenarioEntraKeyView, SimulatedExchange } from '../local/exchange';
import type { Scenario } from '../local/scenario/schema';
import type { ShellConfig } from './config';
import type { ExchangeShell } from './exchange-shell';
import { PowerShellExchangeShell } from './shell/powershell-exchange-shell';

/** The PowerShell shell the configuration describes. */
export function createPowerShellShell(config: ShellConfig, logger: Logger): ExchangeShell {
    return new PowerShellExchangeShell({
        connection: config.mode === 'snapIn' ? { mode: 'snapIn' } : { mode: 'remote', connectionUri: config.connectionUri, authentication: config.authentication },
        ...(config.powershellPath === undefined ? {} : { command: config.powershellPath }),
        startTimeoutMs: config.startTimeoutSeconds * 1000,
        callTimeoutMs: config.callTimeoutSeconds * 1000,
        logger: logger.child({ component: 'powershell-shell' }),
    });
}

/**
 * The simulated organization of a scenario, on real time. The Entra side is the scenario's key
 * target as loaded (frozen): keys the product registers later are not seen by this probe.
 */
export function createSimulatedShell(scenario: Scenario): ExchangeShell {
    const certificates = generateScenarioCertificates(scenario.exchange);
    return SimulatedExchange.fromScenario(scenario, { clock: new RealClock(), entra: new ScenarioEntraKeyView(scenario.entra, certificates), certificates });
}
