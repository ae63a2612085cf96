import type { ExchangeShell } from '../../agent/exchange-shell';
import { RealClock } from '../clock';
import { generateScenarioCertificates, ScenarioEntraKeyView, SimulatedExchange } from '../exchange';
import type { Scenario } from '../scenario/schema';

/**
 * The simulated organization of a scenario, on real time. The Entra side is the scenario's key
 * target as loaded (frozen): keys the product registers later are not seen by this probe.
 */
export function createSimulatedShell(scenario: Scenario): ExchangeShell {
    const certificates = generateScenarioCertificates(scenario.exchange);
    return SimulatedExchange.fromScenario(scenario, { clock: new RealClock(), entra: new ScenarioEntraKeyView(scenario.entra, certificates), certificates });
}
