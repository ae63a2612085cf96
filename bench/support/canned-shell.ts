import { performance } from 'node:perf_hooks';
import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../agent/exchange-shell';
import type {
    AuthConfigState,
    EnablePushProxyParams,
    EnablePushProxyResult,
    EnsureAuthServerParams,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeParams,
    InvokeProbeResult,
    PushNotificationApp,
    RestartAuthServicesParams,
    RestartAuthServicesResult,
    RestartHealthManagerParams,
    RestartHealthManagerResult,
    SetAuthConfigParams,
    SetAuthConfigResult,
    ShellInventory,
} from '../../lib/protocol';

const THUMBPRINT = 'AB'.repeat(20);
const WHEN = '2026-01-05T09:00:00.000Z';
const AUTH_CONFIG: AuthConfigState = { currentThumbprint: THUMBPRINT, nextThumbprint: null, nextEffectiveDate: null, previousThumbprint: null };
const PUSH_APP: PushNotificationApp = { identity: 'OnPrem-Proxy', displayName: 'On Premises Proxy app', enabled: true, organization: 'contoso.com', uri: 'https://outlook.office365.com/PushNotifications' };

const INVENTORY: ShellInventory = {
    organization: { name: 'Contoso', guid: '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    userDnsDomain: 'corp.contoso.com',
    acceptedDomains: [{ domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true }],
    servers: [
        { name: 'EX1', fqdn: 'ex1.corp.contoso.com', roles: ['Mailbox', 'ClientAccess'], site: 'Default-First-Site-Name', adminDisplayVersion: 'Version 15.0 (Build 1497.2)' },
        { name: 'EX2', fqdn: 'ex2.corp.contoso.com', roles: ['Mailbox', 'ClientAccess'], site: 'Default-First-Site-Name', adminDisplayVersion: 'Version 15.0 (Build 1497.2)' },
    ],
    certificates: [
        { server: 'EX1', reachable: true, error: null, certificates: [] },
        { server: 'EX2', reachable: true, error: null, certificates: [] },
    ],
    authConfig: AUTH_CONFIG,
    authServers: [],
    pushNotificationApp: PUSH_APP,
};

/**
 * An Exchange shell that answers every operation at once with a fixed, valid result, and keeps the
 * time spent inside it, so that a benchmark can subtract the shell's own time from a round trip.
 */
export class CannedExchangeShell implements ExchangeShell {
    /** Milliseconds spent inside the shell's operations so far. */
    busyMs = 0;

    private answer<T>(build: () => T): Promise<T> {
        const started = performance.now();
        try {
            return Promise.resolve(build());
        } finally {
            this.busyMs += performance.now() - started;
        }
    }

    inventory(): Promise<ShellInventory> {
        return this.answer(() => INVENTORY);
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        return this.answer(() => ({ thumbprint: request.thumbprint, servers: (request.servers ?? ['EX1', 'EX2']).map((server) => ({ server, outcome: 'alreadyPresent' as const, error: null })) }));
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        return this.answer(() => ({ action: params.action, changed: false, authConfig: AUTH_CONFIG }));
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.answer(() => ({ name: params.name, authMetadataUrl: params.authMetadataUrl, action: 'unchanged' as const }));
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.answer(() => ({ changed: false, app: { ...PUSH_APP, organization: params.organization } }));
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.answer(() => ({ servers: (params.servers ?? ['EX1', 'EX2']).map((server) => ({ server, restarted: true, restartedAt: WHEN, error: null })) }));
    }

    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        return this.answer(() => ({ servers: (params.servers ?? ['EX1', 'EX2']).map((server) => ({ server, restarted: true, restartedAt: WHEN, error: null })) }));
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.answer(() => ({ server: params.server ?? 'EX1', resultType: 'Succeeded', error: null, exception: null, executionEndTime: WHEN }));
    }

    checkReady(): Promise<ShellReadiness> {
        return Promise.resolve({ mode: 'simulated', missingCmdlets: [] });
    }

    close(): Promise<void> {
        return Promise.resolve();
    }
}
