import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../agent/exchange-shell';
import type {
    EnablePushProxyParams,
    EnablePushProxyResult,
    EnsureAuthServerParams,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeParams,
    InvokeProbeResult,
    RestartAuthServicesParams,
    RestartAuthServicesResult,
    RestartHealthManagerParams,
    RestartHealthManagerResult,
    SetAuthConfigParams,
    SetAuthConfigResult,
    ShellInventory,
} from '../../lib/protocol';

/** The operations of an ExchangeShell (readiness and close excluded). */
export type ShellOperation = 'inventory' | 'installCertificate' | 'setAuthConfig' | 'ensureAuthServer' | 'enablePushProxy' | 'restartHealthManager' | 'restartAuthServices' | 'invokeProbe';

/** An ExchangeShell that hands every operation to another one through `around`, for decorators that observe or disturb calls. */
export abstract class ForwardingExchangeShell implements ExchangeShell {
    constructor(protected readonly inner: ExchangeShell) {}

    get sessions(): number | undefined {
        return this.inner.sessions;
    }

    /** Runs one operation; `run` calls the inner shell. */
    protected abstract around<T>(operation: ShellOperation, run: () => Promise<T>): Promise<T>;

    inventory(): Promise<ShellInventory> {
        return this.around('inventory', () => this.inner.inventory());
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        return this.around('installCertificate', () => this.inner.installCertificate(request));
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        return this.around('setAuthConfig', () => this.inner.setAuthConfig(params));
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.around('ensureAuthServer', () => this.inner.ensureAuthServer(params));
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.around('enablePushProxy', () => this.inner.enablePushProxy(params));
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.around('restartHealthManager', () => this.inner.restartHealthManager(params));
    }

    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        return this.around('restartAuthServices', () => this.inner.restartAuthServices(params));
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.around('invokeProbe', () => this.inner.invokeProbe(params));
    }

    checkReady(): Promise<ShellReadiness> {
        return this.inner.checkReady();
    }

    close(): Promise<void> {
        return this.inner.close();
    }
}
