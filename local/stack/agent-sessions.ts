import type { ExchangeShell } from '../../agent/exchange-shell';
import { ExchangeShellPool } from '../../agent/shell/exchange-shell-pool';
import { LatentExchangeShell } from '../latency/latent-exchange-shell';
import type { StandInLatency } from '../latency/stand-in-latency';
import { OneSessionShell } from '../exchange/one-session-shell';

/**
 * The Exchange shell of a local agent as the agent builds it (agent/create-shell.ts): its pool of
 * `sessions`, each opened when first needed. Each session runs its operations one after the other
 * (OneSessionShell) and, in benchmarks, waits the simulated time of each (LatentExchangeShell) on the
 * world's clock, inside its turn: two operations on one session take twice as long, on two sessions
 * as long as the slower.
 */
export function localAgentShell(sessions: number, openSession: (index: number) => ExchangeShell, latency: StandInLatency | undefined): ExchangeShellPool {
    return new ExchangeShellPool({
        sessions,
        openSession: (index) => {
            const session = openSession(index);
            return new OneSessionShell(latency === undefined ? session : new LatentExchangeShell(session, latency));
        },
    });
}
