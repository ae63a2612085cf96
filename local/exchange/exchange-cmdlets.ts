import { PushProxyError } from '../../lib/errors';
import { enableExchangeCertificate, exportedProvider, getExchangeCertificates, importExchangeCertificate, openPfxOrFail } from './certificate-cmdlets';
import { DEFAULT_PUSH_NOTIFICATION_URI, type SimulatedOrganization, type SimulatedServer } from './organization';
import { buildTripleDesPfx } from './pkcs12';
import type { SimulatedExchange } from './simulated-exchange';

/**
 * Exchange's cmdlets one by one over the simulated organization, for the PowerShell double
 * (local/exchange/powershell/): each call is one cmdlet with its bound parameters, answered with
 * plain data the double turns into Exchange's object shapes. The state is SimulatedExchange's, so
 * the probe computed from the world stays the judge whichever shell drove it.
 *
 * Failures are Exchange's non-terminating errors: an error record (message, error id, category,
 * target) next to whatever output the cmdlet still wrote; the double writes them with WriteError.
 */
export interface CmdletErrorRecord {
    readonly message: string;
    /** Exchange's FullyQualifiedErrorId shape: "<hex>,Microsoft.Exchange.Management.<namespace>.<Class>". */
    readonly errorId: string;
    /** System.Management.Automation.ErrorCategory by name. */
    readonly category: string;
    readonly target: string | null;
    /** The .NET exception type the error record carries. */
    readonly exceptionType: string;
}

export interface CmdletAnswer {
    readonly output: readonly Record<string, unknown>[];
    readonly errors: readonly CmdletErrorRecord[];
    readonly warnings: readonly string[];
}

/** A failure of one cmdlet call, in Exchange's words. */
export class CmdletFailure extends Error {
    constructor(
        message: string,
        readonly category: 'ObjectNotFound' | 'ResourceUnavailable' | 'InvalidOperation' | 'InvalidArgument' | 'ResourceExists' | 'PermissionDenied',
        readonly exceptionType: string,
        readonly target: string | null = null,
    ) {
        super(message);
    }
}

const NAMESPACES: Readonly<Record<string, string>> = {
    'Get-OrganizationConfig': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetOrganizationConfig',
    'Get-AcceptedDomain': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetAcceptedDomain',
    'Get-ExchangeServer': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetExchangeServer',
    'Get-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetExchangeCertificate',
    'Import-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.ImportExchangeCertificate',
    'Export-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExportExchangeCertificate',
    'Enable-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.EnableExchangeCertificate',
    'Get-AuthConfig': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetAuthConfig',
    'Set-AuthConfig': 'Microsoft.Exchange.Management.SystemConfigurationTasks.SetAuthConfig',
    'Get-AuthServer': 'Microsoft.Exchange.Management.SystemConfigurationTasks.GetAuthServer',
    'New-AuthServer': 'Microsoft.Exchange.Management.SystemConfigurationTasks.NewAuthServer',
    'Set-AuthServer': 'Microsoft.Exchange.Management.SystemConfigurationTasks.SetAuthServer',
    'Get-PushNotificationApp': 'Microsoft.Exchange.Management.PushNotifications.GetPushNotificationApp',
    'Enable-PushNotificationProxy': 'Microsoft.Exchange.Management.PushNotifications.EnablePushNotificationProxy',
    'Invoke-MonitoringProbe': 'Microsoft.Exchange.Management.Monitoring.InvokeMonitoringProbe',
    'Restart-Service': 'Microsoft.PowerShell.Commands.RestartServiceCommand',
    'Get-Service': 'Microsoft.PowerShell.Commands.GetServiceCommand',
    'Invoke-Command': 'Microsoft.PowerShell.Commands.InvokeCommandCommand',
    'Restart-WebAppPool': 'Microsoft.IIs.PowerShell.Provider.RestartAppPoolCommand',
};

type Parameters = Readonly<Record<string, unknown>>;

function text(parameters: Parameters, name: string): string | undefined {
    const value = parameters[name];
    if (typeof value === 'string') return value === '' ? undefined : value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function flag(parameters: Parameters, name: string): boolean {
    return parameters[name] === true;
}

function notFound(identity: string, kind = 'object'): CmdletFailure {
    // The wording of Exchange's ManagementObjectNotFoundException (e.g. Get-ExchangeServer -Identity).
    return new CmdletFailure(`The operation couldn't be performed because ${kind} '${identity}' couldn't be found.`, 'ObjectNotFound', 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', identity);
}

/** Exchange's Domain property of a server: its FQDN without the host label. */
export function computerDomainOf(fqdn: string): string {
    const dot = fqdn.indexOf('.');
    return dot < 0 ? '' : fqdn.slice(dot + 1);
}

/** Exchange 2016 (15.1) or 2019 (15.2): the versions that sign serialized data with the Auth certificate. */
function signsSerializationData(server: SimulatedServer): boolean {
    const match = /Version 15\.(\d+)/.exec(server.adminDisplayVersion);
    return match !== null && Number(match[1]) >= 1;
}

/**
 * The cmdlets, one call at a time. `connectedServer` is the server the session runs on (Remote:
 * the ConnectionUri's host; SnapIn: the local computer).
 */
export class ExchangeCmdlets {
    constructor(
        private readonly exchange: SimulatedExchange,
        private readonly org: SimulatedOrganization,
        private readonly nowMs: () => number,
    ) {}

    /** Runs one cmdlet; Exchange's errors come back as error records, never as exceptions. */
    invoke(cmdlet: string, parameters: Parameters): Promise<CmdletAnswer> {
        return this.run(cmdlet, parameters).then(
            (output) => ({ output, errors: [], warnings: [] }),
            (error: unknown) => ({ output: [], errors: [this.errorRecord(cmdlet, error)], warnings: [] }),
        );
    }

    /** The server the shell's session runs on (the scenario's agentServer, default the first Mailbox server). */
    connectedServer(): { readonly name: string; readonly fqdn: string } {
        const server = this.org.connectedServer();
        return { name: server.name, fqdn: server.fqdn };
    }

    /** Whether Get-ExchangeCertificate answers with RawData only (see getCertificates). */
    serializationSigningBroken(): boolean {
        const current = this.org.authConfig.current;
        const server = this.org.connectedServer();
        if (!signsSerializationData(server)) return false;
        if (current === null) return true;
        const stored = this.org.storeOf(server.name).get(current);
        return stored === undefined || stored.certificate.notAfterMs <= this.nowMs();
    }

    private errorRecord(cmdlet: string, error: unknown): CmdletErrorRecord {
        const id = `${(NAMESPACES[cmdlet] ?? cmdlet).length.toString(16).toUpperCase()}0C2A1E`;
        const className = NAMESPACES[cmdlet] ?? cmdlet;
        if (error instanceof CmdletFailure) {
            return { message: error.message, errorId: `${id},${className}`, category: error.category, target: error.target, exceptionType: error.exceptionType };
        }
        const message = error instanceof PushProxyError || error instanceof Error ? error.message : String(error);
        return { message, errorId: `${id},${className}`, category: 'InvalidOperation', target: null, exceptionType: 'System.InvalidOperationException' };
    }

    private async run(cmdlet: string, p: Parameters): Promise<Record<string, unknown>[]> {
        const now = this.nowMs();
        switch (cmdlet) {
            case 'Get-OrganizationConfig':
                this.org.record(cmdlet, null, now);
                return [{ ...this.org.scenario.organization }];
            case 'Get-AcceptedDomain':
                this.org.record(cmdlet, null, now);
                return this.org.scenario.acceptedDomains.map((domainName, index) => ({ name: domainName, domainName, domainType: 'Authoritative', isDefault: index === 0 }));
            case 'Get-ExchangeServer': {
                this.org.record(cmdlet, null, now);
                const identity = text(p, 'Identity');
                const servers = identity === undefined ? this.org.servers : [this.serverOrFail(identity)];
                return servers.map((server) => ({
                    name: server.name,
                    fqdn: server.fqdn,
                    domain: computerDomainOf(server.fqdn),
                    roles: [...server.roles],
                    site: `${computerDomainOf(server.fqdn)}/Configuration/Sites/${server.site}`,
                    adminDisplayVersion: server.adminDisplayVersion,
                }));
            }
            case 'Get-ExchangeCertificate':
                return this.getCertificates(p, now);
            case 'Import-ExchangeCertificate': {
                const server = this.targetServer(p);
                const data = text(p, 'FileData');
                if (data === undefined) throw new CmdletFailure('FileData is required.', 'InvalidArgument', 'System.ArgumentException');
                const opened = openPfxOrFail(Buffer.from(data, 'base64'), text(p, 'Password') ?? '');
                const thumbprint = importExchangeCertificate(this.org, server, { opened, privateKeyExportable: p.PrivateKeyExportable === true }, now);
                return getExchangeCertificates(this.org, server, now).filter((c) => c.thumbprint === thumbprint);
            }
            case 'Enable-ExchangeCertificate': {
                const server = this.targetServer(p);
                const thumbprint = (text(p, 'Thumbprint') ?? '').toUpperCase();
                const raw: unknown = p.Services;
                const services = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : [];
                enableExchangeCertificate(this.org, server, thumbprint, services.filter((s) => s !== ''), now);
                return [];
            }
            case 'Export-ExchangeCertificate': {
                const server = this.targetServer(p);
                const thumbprint = (text(p, 'Thumbprint') ?? '').toUpperCase();
                this.org.record(cmdlet, server, now);
                this.org.requireReachable(server);
                const stored = this.org.storeOf(server.name).get(thumbprint);
                if (stored === undefined) throw notFound(thumbprint, 'certificate');
                if (!stored.hasPrivateKey || !stored.exportable) {
                    throw new CmdletFailure(`The private key of certificate ${thumbprint} on server ${server.name} is not exportable.`, 'InvalidOperation', 'System.InvalidOperationException', thumbprint);
                }
                // -BinaryEncoded -Password: a PKCS#12 wrapped with the caller's password, in FileData.
                const password = text(p, 'Password') ?? '';
                return [{ fileData: buildTripleDesPfx(stored.certificate.certificatePem, stored.certificate.privateKeyPem, password, stored.friendlyName, exportedProvider(stored)).toString('base64') }];
            }
            case 'Get-AuthConfig':
                this.org.record(cmdlet, null, now);
                return [this.authConfig()];
            case 'Set-AuthConfig':
                return this.setAuthConfig(p, now);
            case 'Get-AuthServer': {
                this.org.record(cmdlet, null, now);
                const identity = text(p, 'Identity');
                const all = this.exchange.authServers();
                if (identity === undefined) return all.map((a) => ({ ...a }));
                const found = all.filter((a) => a.name.toLowerCase() === identity.toLowerCase());
                if (found.length === 0) throw notFound(identity);
                return found.map((a) => ({ ...a }));
            }
            case 'New-AuthServer': {
                const name = text(p, 'Name') ?? '';
                const url = text(p, 'AuthMetadataUrl') ?? '';
                if (this.exchange.authServers().some((a) => a.name.toLowerCase() === name.toLowerCase())) {
                    throw new CmdletFailure(`An AuthServer object named '${name}' already exists.`, 'ResourceExists', 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException', name);
                }
                await this.exchange.ensureAuthServer({ name, authMetadataUrl: url });
                return this.exchange.authServers().filter((a) => a.name.toLowerCase() === name.toLowerCase());
            }
            case 'Set-AuthServer': {
                const identity = text(p, 'Identity') ?? '';
                if (!this.exchange.authServers().some((a) => a.name.toLowerCase() === identity.toLowerCase())) throw notFound(identity);
                const url = text(p, 'AuthMetadataUrl');
                if (url !== undefined) await this.exchange.ensureAuthServer({ name: identity, authMetadataUrl: url });
                return [];
            }
            case 'Get-PushNotificationApp': {
                this.org.record(cmdlet, null, now);
                const identity = text(p, 'Identity');
                const app = { ...this.pushApp() };
                if (identity !== undefined && identity.toLowerCase() !== String(app.identity).toLowerCase()) throw notFound(identity);
                return [app];
            }
            case 'Enable-PushNotificationProxy': {
                const organization = text(p, 'Organization') ?? '';
                // Without -Uri the cmdlet relays to the worldwide service (enable-pushnotificationproxy reference).
                await this.exchange.enablePushProxy({ organization, uri: text(p, 'Uri') ?? DEFAULT_PUSH_NOTIFICATION_URI });
                return [{ ...this.pushApp() }];
            }
            case 'Invoke-MonitoringProbe': {
                const server = this.serverOrFail(text(p, 'Server') ?? '');
                this.org.requireReachable(server);
                const result = await this.exchange.invokeProbe({ server: server.name });
                return [{ ...result, identity: text(p, 'Identity') ?? '' }];
            }
            case 'Get-Service': {
                const server = this.serverOrFail(text(p, 'ComputerName') ?? '');
                if (!server.reachable) throw new CmdletFailure(`Cannot open Service Control Manager on computer '${server.fqdn}'. This operation might require other privileges.`, 'ResourceUnavailable', 'System.InvalidOperationException', server.fqdn);
                return [{ name: text(p, 'Name') ?? '', machineName: server.fqdn, status: 'Running' }];
            }
            case 'Invoke-Command': {
                // The remote session opens only on a server that answers WinRM (the error an unreachable one gives:
                // about_Remote_Troubleshooting, "Connecting to remote server ... failed").
                const server = this.serverOrFail(text(p, 'ComputerName') ?? '');
                if (!server.reachable) {
                    throw new CmdletFailure(`Connecting to remote server ${server.fqdn} failed with the following error message : WinRM cannot complete the operation.`, 'ResourceUnavailable', 'System.Management.Automation.Remoting.PSRemotingTransportException', server.fqdn);
                }
                return [];
            }
            case 'Restart-WebAppPool': {
                const server = this.serverOrFail(text(p, 'ComputerName') ?? '');
                this.exchange.recycleAppPool(server.name, text(p, 'Name') ?? '');
                return [];
            }
            case 'Restart-Service': {
                const server = this.serverOrFail(text(p, 'ComputerName') ?? '');
                if ((text(p, 'Name') ?? '').toLowerCase() !== 'msexchangehm') {
                    this.exchange.restartService(server.name, text(p, 'Name') ?? '');
                    return [];
                }
                const outcome = await this.exchange.restartHealthManager({ servers: [server.name] });
                const error = outcome.servers[0]?.error ?? null;
                if (error !== null) throw new CmdletFailure(error, 'ResourceUnavailable', 'System.InvalidOperationException', server.fqdn);
                return [];
            }
            default:
                throw new CmdletFailure(`The term '${cmdlet}' is not recognized as a name of a cmdlet.`, 'InvalidOperation', 'System.Management.Automation.CommandNotFoundException', cmdlet);
        }
    }

    private serverOrFail(identity: string): SimulatedServer {
        const server = this.org.findServer(identity);
        if (server === undefined) throw notFound(identity);
        return server;
    }

    /** -Server, default the server the session runs on (the cmdlet reference: "the local server"). */
    private targetServer(p: Parameters): SimulatedServer {
        const name = text(p, 'Server');
        return name === undefined ? this.org.connectedServer() : this.serverOrFail(name);
    }

    private getCertificates(p: Parameters, now: number): Record<string, unknown>[] {
        const server = this.targetServer(p);
        if (server.roles.includes('Edge')) {
            // An Edge Transport server is outside the Active Directory forest: the organization's
            // cmdlets cannot reach its certificate store (Edge Transport servers, learn.microsoft.com/exchange/architecture/edge-transport-servers/edge-transport-servers).
            throw new CmdletFailure(`The Exchange server '${server.fqdn}' is an Edge Transport server and can't be managed from this organization.`, 'InvalidOperation', 'System.InvalidOperationException', server.name);
        }
        const all = getExchangeCertificates(this.org, server, now);
        const thumbprint = text(p, 'Thumbprint') ?? text(p, 'Identity');
        const chosen = thumbprint === undefined ? all : all.filter((c) => c.thumbprint.toLowerCase() === thumbprint.toLowerCase().replace(/^.*\\/, ''));
        if (thumbprint !== undefined && chosen.length === 0) throw notFound(thumbprint, 'certificate');
        const rawDataOnly = this.serializationSigningBroken();
        return chosen.map((c) => ({ ...c, rawDataOnly }));
    }

    private authConfig(): Record<string, unknown> {
        const state = this.exchange.authConfig();
        return {
            currentCertificateThumbprint: state.currentThumbprint,
            previousCertificateThumbprint: state.previousThumbprint,
            nextCertificateThumbprint: state.nextThumbprint,
            nextCertificateEffectiveDate: state.nextEffectiveDate,
            serviceName: '00000002-0000-0ff1-ce00-000000000000',
        };
    }

    /**
     * Set-AuthConfig (learn.microsoft.com/powershell/module/exchange/set-authconfig): four parameter
     * sets; the certificate must be on the server the session runs on, with its private key.
     */
    private setAuthConfig(p: Parameters, now: number): Record<string, unknown>[] {
        const config = this.org.authConfig;
        const requireHere = (thumbprint: string): void => {
            const server = this.org.connectedServer();
            const stored = this.org.storeOf(server.name).get(thumbprint);
            if (stored === undefined || !stored.hasPrivateKey) {
                throw new CmdletFailure(`The certificate with thumbprint ${thumbprint} was not found on server ${server.name} with its private key.`, 'ObjectNotFound', 'System.InvalidOperationException', thumbprint);
            }
        };
        const current = text(p, 'CertificateThumbprint');
        const next = text(p, 'NewCertificateThumbprint');
        if (current !== undefined) {
            requireHere(current.toUpperCase());
            this.org.record('Set-AuthConfig -CertificateThumbprint', null, now);
            config.current = current.toUpperCase();
        } else if (next !== undefined) {
            const effective = text(p, 'NewCertificateEffectiveDate');
            if (effective === undefined) throw new CmdletFailure('NewCertificateEffectiveDate is required with NewCertificateThumbprint.', 'InvalidArgument', 'System.ArgumentException');
            requireHere(next.toUpperCase());
            this.org.record('Set-AuthConfig -NewCertificateThumbprint', null, now);
            config.next = next.toUpperCase();
            config.nextEffectiveMs = Date.parse(effective);
        } else if (flag(p, 'PublishCertificate')) {
            if (config.next === null) throw new CmdletFailure('There is no next certificate to publish.', 'InvalidOperation', 'System.InvalidOperationException');
            this.org.record('Set-AuthConfig -PublishCertificate', null, now);
            config.previous = config.current;
            config.current = config.next;
            config.next = null;
            config.nextEffectiveMs = null;
        } else if (flag(p, 'ClearPreviousCertificate')) {
            this.org.record('Set-AuthConfig -ClearPreviousCertificate', null, now);
            config.previous = null;
        }
        return [];
    }

    private pushApp(): Record<string, unknown> {
        const state = this.exchange.pushProxyState();
        // Get-PushNotificationApp's OnPrem-Proxy app (the article shows it after Enable-PushNotificationProxy).
        return { identity: 'OnPrem-Proxy', displayName: 'On Premises Proxy app', enabled: state.enabled, organization: state.organization, uri: state.uri };
    }
}
