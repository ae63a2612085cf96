import { PermanentError } from '../../lib/errors';
import type { ExchangeScenario, ScenarioServer } from '../scenario/exchange-schema';
import { describeCertificate, type SimulatedCertificate } from './certificate-details';
import type { ScenarioCertificates } from './scenario-certificates';

/** One certificate in one server's store. */
export interface StoredCertificate {
    readonly certificate: SimulatedCertificate;
    friendlyName: string;
    services: string[];
    hasPrivateKey: boolean;
    exportable: boolean;
    /** Where Windows put the key: a CryptoAPI CSP, or a CNG key storage provider (see importExchangeCertificate). */
    keyStorage: 'csp' | 'cng';
}

export interface SimulatedServer extends ScenarioServer {
    reachable: boolean;
}

export interface AuthConfigRecord {
    current: string | null;
    next: string | null;
    nextEffectiveMs: number | null;
    previous: string | null;
}

export interface AuthServerRecord {
    name: string;
    authMetadataUrl: string;
    enabled: boolean;
    realm: string | null;
    type?: string;
    applicationIdentifier?: string | null;
}

export interface PushProxyRecord {
    enabled: boolean;
    organization: string | null;
    /** The push notification service the proxy relays to (the app's Uri). */
    uri: string;
    enabledAtMs: number | null;
}

/**
 * Enable-PushNotificationProxy -Uri's default, the worldwide service (cmdlet reference,
 * learn.microsoft.com/powershell/module/exchangepowershell/enable-pushnotificationproxy).
 */
export const DEFAULT_PUSH_NOTIFICATION_URI = 'https://outlook.office365.com/PushNotifications';

export interface CommandRecord {
    readonly cmdlet: string;
    readonly server: string | null;
    readonly atMs: number;
}

export function exchangeFailure(message: string): PermanentError {
    return new PermanentError('exchange_failed', message);
}

/** The in-memory state of a simulated Exchange organization. */
export class SimulatedOrganization {
    readonly servers: SimulatedServer[];
    readonly stores = new Map<string, Map<string, StoredCertificate>>();
    readonly authConfig: AuthConfigRecord;
    readonly authServers = new Map<string, AuthServerRecord>();
    readonly pushProxy: PushProxyRecord;
    readonly healthManagerRestarts = new Map<string, number[]>();
    /** Per server (lower-case name): MSExchangeServiceHost restarts and application pool recycles, by name, in order. */
    readonly authServiceRestarts = new Map<string, { readonly name: string; readonly atMs: number }[]>();
    readonly scriptedProbes: ('Succeeded' | 'Failed')[];
    readonly commands: CommandRecord[] = [];

    constructor(
        readonly scenario: ExchangeScenario,
        readonly certificates: ScenarioCertificates,
        loadedAtMs: number,
    ) {
        this.servers = scenario.servers.map((server) => ({ ...server }));
        for (const server of this.servers) this.stores.set(server.name.toLowerCase(), new Map());
        for (const spec of scenario.certificates) {
            const generated = certificates.get(spec.id);
            if (generated === undefined) throw new Error(`scenario certificate ${spec.id} was not generated`);
            const certificate = describeCertificate(generated.certificatePem, generated.privateKeyPem);
            const place = (serverName: string, hasPrivateKey: boolean): void => {
                this.storeOf(serverName).set(certificate.thumbprint, {
                    certificate,
                    friendlyName: spec.friendlyName,
                    services: [...spec.services],
                    hasPrivateKey,
                    exportable: hasPrivateKey && spec.exportable,
                    // New-ExchangeCertificate makes CSP keys, which is why Microsoft's own script relies on it for the Auth certificate.
                    keyStorage: 'csp',
                });
            };
            for (const serverName of spec.servers) place(serverName, true);
            for (const serverName of spec.serversWithoutPrivateKey) place(serverName, false);
        }
        const thumbprint = (id: string | null): string | null => (id === null ? null : this.thumbprintOf(id));
        this.authConfig = {
            current: thumbprint(scenario.authConfig.currentCertificate),
            next: thumbprint(scenario.authConfig.nextCertificate),
            nextEffectiveMs: scenario.authConfig.nextCertificateEffectiveDate === null ? null : Date.parse(scenario.authConfig.nextCertificateEffectiveDate),
            previous: thumbprint(scenario.authConfig.previousCertificate),
        };
        for (const authServer of scenario.authServers) this.authServers.set(authServer.name.toLowerCase(), { ...authServer, realm: null });
        const dayMs = 24 * 60 * 60 * 1000;
        this.pushProxy = {
            enabled: scenario.pushProxy.enabled,
            organization: scenario.pushProxy.organization,
            uri: DEFAULT_PUSH_NOTIFICATION_URI,
            enabledAtMs: scenario.pushProxy.enabled ? loadedAtMs - dayMs : null,
        };
        if (scenario.pushProxy.enabled && scenario.pushProxy.healthManagerRestartedSince) {
            for (const server of this.servers) this.healthManagerRestarts.set(server.name.toLowerCase(), [loadedAtMs - dayMs + 1000]);
        }
        this.scriptedProbes = [...scenario.probe.scripted];
    }

    thumbprintOf(certificateId: string): string {
        const generated = this.certificates.get(certificateId);
        if (generated === undefined) throw new Error(`no scenario certificate ${certificateId}`);
        return generated.thumbprint;
    }

    /** A server by name or FQDN, case-insensitive. */
    findServer(nameOrFqdn: string): SimulatedServer | undefined {
        const wanted = nameOrFqdn.toLowerCase();
        return this.servers.find((server) => server.name.toLowerCase() === wanted || server.fqdn.toLowerCase() === wanted);
    }

    server(nameOrFqdn: string): SimulatedServer {
        const server = this.findServer(nameOrFqdn);
        if (server === undefined) throw exchangeFailure(`The operation couldn't be performed because object '${nameOrFqdn}' couldn't be found.`);
        return server;
    }

    storeOf(nameOrFqdn: string): Map<string, StoredCertificate> {
        const server = this.server(nameOrFqdn);
        const store = this.stores.get(server.name.toLowerCase());
        if (store === undefined) throw new Error(`no store for ${server.name}`);
        return store;
    }

    mailboxServers(): SimulatedServer[] {
        return this.servers.filter((server) => server.roles.includes('Mailbox'));
    }

    /** The server the agent's shell is connected to. */
    connectedServer(): SimulatedServer {
        if (this.scenario.agentServer !== undefined) return this.server(this.scenario.agentServer);
        const first = this.mailboxServers()[0] ?? this.servers[0];
        if (first === undefined) throw new Error('the scenario has no server');
        return first;
    }

    record(cmdlet: string, server: SimulatedServer | null, atMs: number): void {
        this.commands.push({ cmdlet, server: server?.name ?? null, atMs });
    }

    requireReachable(server: SimulatedServer): void {
        if (!server.reachable) throw exchangeFailure(`The WinRM client cannot complete the operation: server ${server.fqdn} is not reachable.`);
    }
}
