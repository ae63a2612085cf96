import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../agent/exchange-shell';
import type {
    EnablePushProxyParams,
    EnablePushProxyResult,
    EnsureAuthServerParams,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeParams,
    InvokeProbeResult,
    RestartHealthManagerParams,
    RestartHealthManagerResult,
    SetAuthConfigParams,
    SetAuthConfigResult,
    ShellInventory,
} from '../../lib/protocol';
import type { StandInLatency } from './stand-in-latency';

/** An Exchange shell whose every operation first waits the simulated time of one Exchange operation. */
export class LatentExchangeShell implements ExchangeShell {
    constructor(
        private readonly inner: ExchangeShell,
        private readonly latency: StandInLatency,
    ) {}

    private async afterLatency<T>(run: () => Promise<T>): Promise<T> {
        await this.latency.wait('exchangeOperation');
        return run();
    }

    inventory(): Promise<ShellInventory> {
        return this.afterLatency(() => this.inner.inventory());
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        return this.afterLatency(() => this.inner.installCertificate(request));
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        return this.afterLatency(() => this.inner.setAuthConfig(params));
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.afterLatency(() => this.inner.ensureAuthServer(params));
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.afterLatency(() => this.inner.enablePushProxy(params));
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.afterLatency(() => this.inner.restartHealthManager(params));
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.afterLatency(() => this.inner.invokeProbe(params));
    }

    checkReady(): Promise<ShellReadiness> {
        return this.inner.checkReady();
    }

    close(): Promise<void> {
        return this.inner.close();
    }
}
