import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../../agent/exchange-shell';
import type {
    EnablePushProxyResult,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeResult,
    RestartAuthServicesResult,
    RestartHealthManagerResult,
    SetAuthConfigResult,
    ShellInventory,
} from '../../../lib/protocol';

/** An organization with nothing in it: what a fake shell answers an inventory with. */
export const EMPTY_INVENTORY: ShellInventory = {
    organization: { name: 'Contoso', guid: '0b7e3c2a-93a4-4b8f-8d2e-5a1c9f3e7d11' },
    userDnsDomain: 'CORP.CONTOSO.COM',
    acceptedDomains: [],
    servers: [],
    certificates: [],
    authConfig: { currentThumbprint: null, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: null },
    authServers: [],
    pushNotificationApp: null,
};

export interface ShellCall {
    readonly method: string;
    readonly argument: unknown;
}

/**
 * An ExchangeShell that records calls and answers installCertificate with a canned result; calls
 * wait on `gate` when one is set, so a test decides when an operation finishes.
 */
export class ScriptedShell implements ExchangeShell {
    readonly calls: ShellCall[] = [];
    gate: Promise<void> | undefined;
    failWith: Error | undefined;

    private async record<T>(method: string, argument: unknown, result: T): Promise<T> {
        this.calls.push({ method, argument });
        if (this.gate !== undefined) await this.gate;
        if (this.failWith !== undefined) throw this.failWith;
        return result;
    }

    inventory(): Promise<ShellInventory> {
        return this.record('inventory', undefined, EMPTY_INVENTORY);
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        return this.record('installCertificate', request, { thumbprint: request.thumbprint, servers: [{ server: 'EX1', outcome: 'imported', error: null }] });
    }

    setAuthConfig(): Promise<SetAuthConfigResult> {
        return Promise.reject(new Error('not scripted'));
    }

    ensureAuthServer(): Promise<EnsureAuthServerResult> {
        return Promise.reject(new Error('not scripted'));
    }

    enablePushProxy(): Promise<EnablePushProxyResult> {
        return Promise.reject(new Error('not scripted'));
    }

    restartHealthManager(): Promise<RestartHealthManagerResult> {
        return Promise.reject(new Error('not scripted'));
    }

    restartAuthServices(): Promise<RestartAuthServicesResult> {
        return Promise.reject(new Error('not scripted'));
    }

    invokeProbe(): Promise<InvokeProbeResult> {
        return Promise.reject(new Error('not scripted'));
    }

    checkReady(): Promise<ShellReadiness> {
        return Promise.resolve({ mode: 'scripted', missingCmdlets: [] });
    }

    close(): Promise<void> {
        return Promise.resolve();
    }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
        resolve = r;
    });
    return { promise, resolve };
}
