import type { ExchangeShell, InstallCertificateRequest } from '../../agent/exchange-shell';
import type { InstallCertificateResult, RestartHealthManagerParams, RestartHealthManagerResult } from '../../lib/protocol';
import { ForwardingExchangeShell, type ShellOperation } from '../exchange/forwarding-shell';
import type { StandInLatency } from './stand-in-latency';

/**
 * An Exchange shell whose every operation first waits the simulated time of one Exchange operation,
 * and then one server operation per server it imported on or restarted MSExchangeHM on, one after
 * the other, as Install-PushProxyCertificate.ps1 and Restart-PushProxyHealthManager.ps1 loop.
 */
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

    override async installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        const result = await super.installCertificate(request);
        await this.serverOperations(result.servers.filter((server) => server.outcome === 'imported').length);
        return result;
    }

    override async restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        const result = await super.restartHealthManager(params);
        await this.serverOperations(result.servers.length);
        return result;
    }

    private async serverOperations(count: number): Promise<void> {
        for (let i = 0; i < count; i++) await this.latency.wait('serverOperation');
    }
}
