import {
    type EnablePushProxyParams,
    type EnablePushProxyResult,
    type EnsureAuthServerParams,
    type EnsureAuthServerResult,
    GLOBAL_ACS_METADATA_HOST,
    type InstallCertificateResult,
    type InvokeProbeParams,
    type InvokeProbeResult,
    type PushNotificationApp,
    AUTH_APP_POOLS,
    AUTH_SERVICE_NAME,
    type RestartAuthServicesParams,
    type RestartAuthServicesResult,
    type RestartHealthManagerParams,
    type RestartHealthManagerResult,
    type ServerInstallOutcome,
    type SetAuthConfigParams,
    type SetAuthConfigResult,
    type ShellInventory,
    type AuthConfigState,
    type AuthServerState,
} from '../../lib/protocol';
import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../../agent/exchange-shell';
import type { Clock } from '../clock';
import type { ExchangeScenario } from '../scenario/exchange-schema';
import type { Scenario } from '../scenario/schema';
import type { EntraKeyView } from '../scenario/world-links';
import { authConfigState, authServerStates, setAuthConfig } from './auth-cmdlets';
import { ExchangeCmdlets } from './exchange-cmdlets';
import { enableExchangeCertificate, exportExchangeCertificate, getExchangeCertificates, importExchangeCertificate, OAUTH_CERTIFICATE_SERVICE, openPfxOrFail } from './certificate-cmdlets';
import { type CommandRecord, DEFAULT_PUSH_NOTIFICATION_URI, exchangeFailure, SimulatedOrganization, type SimulatedServer } from './organization';
import type { OpenedPfx } from './pkcs12';
import { findMissingProbeLink, type MissingLink } from './probe';
import { generateScenarioCertificates, type ScenarioCertificates } from './scenario-certificates';

export interface SimulatedExchangeOptions {
    readonly exchange: ExchangeScenario;
    /** The Microsoft 365 tenant domain the probe expects the proxy and MicrosoftSts to point at. */
    readonly tenantDomain: string;
    readonly clock: Clock;
    readonly entra: EntraKeyView;
    /** Pre-generated scenario certificates, shared with the Graph stand-in; generated when absent. */
    readonly certificates?: ScenarioCertificates;
    /** ACS metadata host of the tenant's cloud; default the global one. */
    readonly authMetadataHost?: string;
    /** The push notification service of the tenant's cloud, which the probe reaches through the proxy; default the worldwide one. */
    readonly pushNotificationUri?: string;
    /** Entra tenant id: the Realm an AuthServer shows once its metadata URL points at the tenant. */
    readonly tenantId?: string;
}

export interface CertificateInStore {
    readonly thumbprint: string;
    readonly friendlyName: string;
    readonly hasPrivateKey: boolean;
    readonly exportable: boolean;
}

const PUSH_APP_IDENTITY = 'OnPrem-Proxy';

/** A simulated Exchange organization behind the ExchangeShell interface, with the cmdlets' semantics in memory. */
export class SimulatedExchange implements ExchangeShell {
    private readonly org: SimulatedOrganization;
    private readonly authMetadataHost: string;

    constructor(private readonly options: SimulatedExchangeOptions) {
        this.org = new SimulatedOrganization(options.exchange, options.certificates ?? generateScenarioCertificates(options.exchange), options.clock.now());
        this.authMetadataHost = options.authMetadataHost ?? GLOBAL_ACS_METADATA_HOST;
    }

    static fromScenario(scenario: Scenario, options: { clock: Clock; entra: EntraKeyView; certificates?: ScenarioCertificates; authMetadataHost?: string; pushNotificationUri?: string }): SimulatedExchange {
        return new SimulatedExchange({ ...options, exchange: scenario.exchange, tenantDomain: scenario.tenant.domain, tenantId: scenario.entra.tenantId });
    }

    private now(): number {
        return this.options.clock.now();
    }

    private run<T>(body: () => T): Promise<T> {
        try {
            return Promise.resolve(body());
        } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
    }

    inventory(): Promise<ShellInventory> {
        return this.run(() => {
            const now = this.now();
            for (const cmdlet of ['Get-OrganizationConfig', 'Get-AcceptedDomain', 'Get-ExchangeServer']) this.org.record(cmdlet, null, now);
            const scenario = this.org.scenario;
            // Edge Transport servers are left out, as the inventory script does (they cannot be managed from inside the organization).
            const servers = this.org.servers.filter((server) => !server.roles.includes('Edge'));
            return {
                organization: { ...scenario.organization },
                userDnsDomain: scenario.userDnsDomain,
                acceptedDomains: scenario.acceptedDomains.map((domainName, index) => ({ domainName, domainType: 'Authoritative', isDefault: index === 0 })),
                servers: servers.map((server) => ({ name: server.name, fqdn: server.fqdn, roles: [...server.roles], site: server.site, adminDisplayVersion: server.adminDisplayVersion })),
                certificates: servers.map((server) => {
                    try {
                        return { server: server.name, reachable: true, error: null, certificates: getExchangeCertificates(this.org, server, now) };
                    } catch (error) {
                        return { server: server.name, reachable: false, error: (error as Error).message, certificates: [] };
                    }
                }),
                authConfig: this.recorded('Get-AuthConfig', () => authConfigState(this.org)),
                authServers: this.recorded('Get-AuthServer', () => authServerStates(this.org)),
                pushNotificationApp: this.recorded('Get-PushNotificationApp', () => this.pushApp()),
            };
        });
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        return this.run(() => {
            const now = this.now();
            const targets = request.servers === undefined ? this.org.servers.filter((s) => s.roles.includes('Mailbox') || s.roles.includes('ClientAccess')) : request.servers.map((name) => this.org.server(name));
            const missing = targets.filter((server) => !server.reachable || !this.org.storeOf(server.name).has(request.thumbprint));
            let material: OpenedPfx | undefined;
            const materialFor = (): OpenedPfx => {
                if (material !== undefined) return material;
                if (request.source.kind === 'pfx') {
                    const opened = openPfxOrFail(request.source.pfx, request.source.password);
                    if (opened.thumbprint !== request.thumbprint) throw exchangeFailure(`The PFX holds certificate ${opened.thumbprint}, not ${request.thumbprint}.`);
                    material = opened;
                } else {
                    const exported = exportExchangeCertificate(this.org, this.org.server(request.source.server), request.thumbprint, now);
                    material = openPfxOrFail(exported.pfx, exported.password);
                }
                return material;
            };
            // A sealed PFX is always opened first, as the script does: a wrong password or another certificate fails the call.
            if (request.source.kind === 'pfx' || missing.some((server) => server.reachable)) materialFor();
            const outcomes: ServerInstallOutcome[] = targets.map((server) => {
                const present = this.org.storeOf(server.name).get(request.thumbprint);
                if (!server.reachable) return { server: server.name, outcome: 'failed', error: `Server ${server.fqdn} is not reachable.` };
                if (present?.hasPrivateKey === true) return { server: server.name, outcome: 'alreadyPresent', error: null };
                if (present !== undefined) return { server: server.name, outcome: 'failed', error: `Certificate ${request.thumbprint} is on ${server.name} without its private key; remove it there first.` };
                try {
                    importExchangeCertificate(this.org, server, { opened: materialFor(), privateKeyExportable: request.privateKeyExportable }, now);
                    enableExchangeCertificate(this.org, server, request.thumbprint, [OAUTH_CERTIFICATE_SERVICE], now);
                    return { server: server.name, outcome: 'imported', error: null };
                } catch (error) {
                    return { server: server.name, outcome: 'failed', error: (error as Error).message };
                }
            });
            return { thumbprint: request.thumbprint, servers: outcomes };
        });
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        return this.run(() => setAuthConfig(this.org, params, this.now()));
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.run(() => {
            const now = this.now();
            this.org.record('Get-AuthServer', null, now);
            const key = params.name.toLowerCase();
            const existing = this.org.authServers.get(key);
            const realm = this.realmFor(params.authMetadataUrl);
            if (existing === undefined) {
                this.org.record('New-AuthServer', null, now);
                this.org.authServers.set(key, { name: params.name, authMetadataUrl: params.authMetadataUrl, enabled: true, realm });
                return { name: params.name, authMetadataUrl: params.authMetadataUrl, action: 'created' };
            }
            if (existing.authMetadataUrl.toLowerCase() !== params.authMetadataUrl.toLowerCase()) {
                this.org.record('Set-AuthServer', null, now);
                existing.authMetadataUrl = params.authMetadataUrl;
                existing.realm = realm;
                return { name: existing.name, authMetadataUrl: params.authMetadataUrl, action: 'updated' };
            }
            return { name: existing.name, authMetadataUrl: existing.authMetadataUrl, action: 'unchanged' };
        });
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.run(() => {
            const now = this.now();
            this.org.record('Enable-PushNotificationProxy', null, now);
            const proxy = this.org.pushProxy;
            // Without -Uri the cmdlet relays to the worldwide service (cmdlet reference: "The default value is
            // https://outlook.office365.com/PushNotifications").
            const uri = params.uri ?? DEFAULT_PUSH_NOTIFICATION_URI;
            const changed = !proxy.enabled || proxy.organization?.toLowerCase() !== params.organization.toLowerCase() || proxy.uri.toLowerCase() !== uri.toLowerCase();
            if (changed) {
                proxy.enabled = true;
                proxy.organization = params.organization;
                proxy.uri = uri;
                proxy.enabledAtMs = now;
            }
            return { changed, app: this.pushApp() };
        });
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.run(() => {
            const now = this.now();
            const targets = params.servers === undefined ? this.org.mailboxServers() : params.servers.map((name) => this.org.server(name));
            return {
                servers: targets.map((server) => {
                    this.org.record('Restart-Service MSExchangeHM', server, now);
                    if (!server.reachable) return { server: server.name, restarted: false, restartedAt: null, error: `Cannot open Service Control Manager on computer '${server.fqdn}'.` };
                    const key = server.name.toLowerCase();
                    this.org.healthManagerRestarts.set(key, [...(this.org.healthManagerRestarts.get(key) ?? []), now]);
                    return { server: server.name, restarted: true, restartedAt: new Date(now).toISOString(), error: null };
                }),
            };
        });
    }

    /**
     * The restarts Microsoft's procedure makes once the current Auth certificate changed, on each server
     * that holds it (restartAuthServices): Restart-Service MSExchangeServiceHost, then Restart-WebAppPool
     * for the OWA and ECP pools, each on the server itself (Invoke-Command in Restart-PushProxyAuthServices.ps1).
     */
    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        return this.run(() => {
            const now = this.now();
            const targets = params.servers === undefined ? this.org.servers.filter((s) => s.roles.some((r) => r === 'Mailbox' || r === 'ClientAccess')) : params.servers.map((name) => this.org.server(name));
            return {
                servers: targets.map((server) => {
                    try {
                        this.restartService(server.name, AUTH_SERVICE_NAME);
                        for (const pool of AUTH_APP_POOLS) this.recycleAppPool(server.name, pool);
                        return { server: server.name, restarted: true, restartedAt: new Date(now).toISOString(), error: null };
                    } catch (error) {
                        return { server: server.name, restarted: false, restartedAt: null, error: (error as Error).message };
                    }
                }),
            };
        });
    }

    /** Restart-Service <name> on the server (MSExchangeServiceHost; MSExchangeHM goes through restartHealthManager). */
    restartService(serverName: string, service: string): void {
        const server = this.org.server(serverName);
        this.org.record(`Restart-Service ${service}`, server, this.now());
        if (!server.reachable) throw exchangeFailure(`Connecting to remote server ${server.fqdn} failed: WinRM cannot complete the operation.`);
        if (service.toLowerCase() !== AUTH_SERVICE_NAME.toLowerCase()) throw exchangeFailure(`Cannot find any service with service name '${service}'.`);
        this.noteAuthServiceRestart(server, AUTH_SERVICE_NAME);
    }

    /**
     * Restart-WebAppPool <name> on the server (WebAdministration module,
     * learn.microsoft.com/powershell/module/webadministration/restart-webapppool). Only Exchange's pools exist here.
     */
    recycleAppPool(serverName: string, pool: string): void {
        const server = this.org.server(serverName);
        this.org.record(`Restart-WebAppPool ${pool}`, server, this.now());
        if (!server.reachable) throw exchangeFailure(`Connecting to remote server ${server.fqdn} failed: WinRM cannot complete the operation.`);
        const known = AUTH_APP_POOLS.find((name) => name.toLowerCase() === pool.toLowerCase());
        if (known === undefined) throw exchangeFailure(`The application pool '${pool}' does not exist on ${server.name}.`);
        this.noteAuthServiceRestart(server, known);
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.run(() => {
            const now = this.now();
            const server = this.probeServer(params.server);
            this.org.record('Invoke-MonitoringProbe', server, now);
            const base = { server: server.name, exception: null, executionEndTime: new Date(now).toISOString() };
            const scripted = this.org.scriptedProbes.shift();
            if (scripted !== undefined) return { ...base, resultType: scripted, error: scripted === 'Failed' ? this.org.scenario.probe.scriptedError : null };
            const missing = this.missingLink(server);
            return missing === undefined ? { ...base, resultType: 'Succeeded', error: null } : { ...base, resultType: 'Failed', error: missing.error };
        });
    }

    checkReady(): Promise<ShellReadiness> {
        return Promise.resolve({ mode: 'simulated', missingCmdlets: [] });
    }

    close(): Promise<void> {
        return Promise.resolve();
    }

    // Inspection, for tests and the demo: the world's state, read without recording a command.

    /** The generated thumbprint of a scenario certificate id. */
    thumbprintOf(certificateId: string): string {
        return this.org.thumbprintOf(certificateId);
    }

    /** The public DER (base64) of a scenario certificate id: what a key credential on the key target holds. */
    certificateDerBase64(certificateId: string): string {
        const generated = this.org.certificates.get(certificateId);
        if (generated === undefined) throw new Error(`no scenario certificate ${certificateId}`);
        return generated.derBase64;
    }

    authConfig(): AuthConfigState {
        return authConfigState(this.org);
    }

    authServers(): AuthServerState[] {
        return authServerStates(this.org);
    }

    pushProxyState(): { enabled: boolean; organization: string | null; uri: string; enabledAt: string | null } {
        const proxy = this.org.pushProxy;
        return { enabled: proxy.enabled, organization: proxy.organization, uri: proxy.uri, enabledAt: proxy.enabledAtMs === null ? null : new Date(proxy.enabledAtMs).toISOString() };
    }

    certificatesOn(server: string): CertificateInStore[] {
        return [...this.org.storeOf(server).values()].map((stored) => ({
            thumbprint: stored.certificate.thumbprint,
            friendlyName: stored.friendlyName,
            hasPrivateKey: stored.hasPrivateKey,
            exportable: stored.exportable,
        }));
    }

    healthManagerRestarts(server: string): string[] {
        return (this.org.healthManagerRestarts.get(this.org.server(server).name.toLowerCase()) ?? []).map((ms) => new Date(ms).toISOString());
    }

    /** What restartAuthServices (or the cmdlets it runs) restarted on the server, by service or pool name, in order. */
    authServiceRestarts(server: string): string[] {
        return (this.org.authServiceRestarts.get(this.org.server(server).name.toLowerCase()) ?? []).map((entry) => entry.name);
    }

    /** The same organization cmdlet by cmdlet, for the PowerShell double (local/exchange/powershell/). */
    cmdlets(): ExchangeCmdlets {
        return new ExchangeCmdlets(this, this.org, () => this.now());
    }

    /** Every cmdlet the simulated shell has run, in order. */
    commandLog(): readonly CommandRecord[] {
        return [...this.org.commands];
    }

    /** Why a probe on `server` (default: the first Mailbox server) would fail now, or undefined when it would succeed. */
    missingLink(server?: SimulatedServer | string): MissingLink | undefined {
        const target = typeof server === 'object' ? server : this.probeServer(server);
        return findMissingProbeLink({ org: this.org, entra: this.options.entra, tenantDomain: this.options.tenantDomain, authMetadataHost: this.authMetadataHost, pushNotificationUri: this.options.pushNotificationUri ?? DEFAULT_PUSH_NOTIFICATION_URI, nowMs: this.now() }, target);
    }

    // Drift, as an administrator might cause by hand between runs (re-verification tests).

    /** Set-AuthServer <name> -AuthMetadataUrl <url>, typed by hand. */
    driftAuthServerUrl(name: string, authMetadataUrl: string): void {
        const record = this.org.authServers.get(name.toLowerCase());
        if (record === undefined) throw new Error(`no AuthServer ${name}`);
        this.org.authServers.set(name.toLowerCase(), { ...record, authMetadataUrl, realm: this.realmFor(authMetadataUrl) });
    }

    /** Disable-PushNotificationProxy, by hand. */
    /** Drift: the proxy was enabled again by hand without -Uri, or with another cloud's service. */
    driftPushProxyUri(uri: string): void {
        this.org.pushProxy.uri = uri;
    }

    driftDisablePushProxy(): void {
        this.org.pushProxy.enabled = false;
    }

    /** Remove-ExchangeCertificate -Thumbprint <thumbprint> -Server <server>, by hand. */
    driftRemoveCertificate(server: string, thumbprint: string): void {
        if (!this.org.storeOf(server).delete(thumbprint)) throw new Error(`${thumbprint} is not on ${server}`);
    }

    /** Fault injection: make a server unreachable or reachable again. */
    setServerReachable(server: string, reachable: boolean): void {
        this.org.server(server).reachable = reachable;
    }

    private probeServer(name: string | undefined): SimulatedServer {
        if (name !== undefined) return this.org.server(name);
        const first = this.org.mailboxServers()[0];
        if (first === undefined) throw exchangeFailure('Cannot find a Mailbox server in the current site.');
        return first;
    }

    private recorded<T>(cmdlet: string, body: () => T): T {
        this.org.record(cmdlet, null, this.now());
        return body();
    }

    private noteAuthServiceRestart(server: SimulatedServer, name: string): void {
        const key = server.name.toLowerCase();
        this.org.authServiceRestarts.set(key, [...(this.org.authServiceRestarts.get(key) ?? []), { name, atMs: this.now() }]);
    }

    private realmFor(authMetadataUrl: string): string | null {
        const realm = new URL(authMetadataUrl).searchParams.get('realm');
        return realm !== null && realm.toLowerCase() === this.options.tenantDomain.toLowerCase() ? (this.options.tenantId ?? null) : null;
    }

    private pushApp(): PushNotificationApp {
        const proxy = this.org.pushProxy;
        return { identity: PUSH_APP_IDENTITY, displayName: 'On Premises Proxy app', enabled: proxy.enabled, organization: proxy.organization, uri: proxy.uri };
    }
}
