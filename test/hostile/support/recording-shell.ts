import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../../agent/exchange-shell';
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
} from '../../../lib/protocol';

/**
 * Records every call that reaches the shell, then hands it to a real one (the simulated Exchange
 * organization): "no Exchange command ran" is checked at the interface, before any cmdlet.
 */
export class RecordingShell implements ExchangeShell {
    readonly calls: string[] = [];

    constructor(private readonly inner: ExchangeShell) {}

    inventory(): Promise<ShellInventory> {
        this.calls.push('inventory');
        return this.inner.inventory();
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        this.calls.push('installCertificate');
        return this.inner.installCertificate(request);
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        this.calls.push('setAuthConfig');
        return this.inner.setAuthConfig(params);
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        this.calls.push('ensureAuthServer');
        return this.inner.ensureAuthServer(params);
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        this.calls.push('enablePushProxy');
        return this.inner.enablePushProxy(params);
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        this.calls.push('restartHealthManager');
        return this.inner.restartHealthManager(params);
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        this.calls.push('invokeProbe');
        return this.inner.invokeProbe(params);
    }

    checkReady(): Promise<ShellReadiness> {
        return this.inner.checkReady();
    }

    close(): Promise<void> {
        return this.inner.close();
    }
}
