import type { ExchangeShell } from '../../agent/exchange-shell';
import { ForwardingExchangeShell, type ShellOperation } from '../exchange/forwarding-shell';
import type { StandInLatency } from './stand-in-latency';

/** An Exchange shell whose every operation first waits the simulated time of one Exchange operation. */
export class LatentExchangeShell extends ForwardingExchangeShell {
    constructor(
        inner: ExchangeShell,
        private readonly latency: StandInLatency,
    ) {
        super(inner);
    }

    protected async around<T>(_operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        await this.latency.wait('exchangeOperation');
        return run();
    }
}
