// The local host must be loaded before anything imports @azure/functions (it supplies functions-core).
import { appServiceAuthentication, InMemoryDurableStore, startLocalHost, type DurableStore, type LocalHost, type LocalHostOptions } from '../host';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { ExchangeShell } from '../../agent/exchange-shell';
import type { ProxyPolicy } from '../../agent/relay/outbound-proxy';
import { cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import type { LogSink } from '../../lib/logger';
import { startAzuriteTables, type RunningAzurite } from '../azurite';
import { isVirtualClock, RealClock, type Clock, type VirtualClock } from '../clock';
import { SimulatedExchange } from '../exchange/simulated-exchange';
import { generateScenarioCertificates } from '../exchange/scenario-certificates';
import { registerLocalApiIdentities, validateApiBearer, type LocalApiIdentities } from '../identity/api-callers';
import { createLocalCloudTls, startLocalCloud, type LocalCloud, type LocalCloudTls, type LocalProviderOptions } from '../identity/local-cloud';
import { unauthenticatedPaths } from '../../functions/http/api-routes';
import { type PowerShellDouble, type PowerShellDoubleOptions, startPowerShellDouble } from '../exchange/powershell/powershell-double';
import type { StandInLatency } from '../latency/stand-in-latency';
import { RESOURCE_MANAGER_ENDPOINTS } from '../../lib/relay/relay-management';
import { RelayManagementStandIn } from '../relay/relay-management-stand-in';
import { startRelayStandIn } from '../relay/relay-stand-in';
import type { RelayStandIn } from '../relay/stand-in-types';
import type { Scenario } from '../scenario/schema';
import { EXCHANGE_SESSIONS } from '../../lib/protocol';
import { localAgentShell } from './agent-sessions';
import { LocalAgent } from './local-agent';

export const RELAY_SEND_RULE = 'orchestrator-send';
export const RELAY_SEND_KEY_SECRET = 'relay-send-key';
export const AGENT_SECRET_PREFIX = 'agent-secret-';
/** The local relay namespace as Azure Resource Manager names it (organizations enrolled at run time). */
export const RELAY_NAMESPACE_ID = '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/ppo-local/providers/Microsoft.Relay/namespaces/ppo-local-relay';

export interface LocalStackOptions {
    readonly scenario: Scenario;
    /** Real by default; a VirtualClock makes durable timers (the 120 s settle) fire at once. */
    readonly clock?: Clock;
    /** 7071 by default; 0 for any free port. */
    readonly port?: number;
    readonly functionKey?: string;
    readonly atLeastOnce?: { readonly seed: number; readonly probability: number };
    readonly logSink?: LogSink;
    readonly store?: DurableStore;
    /** TLS for the stand-ins, to share across worlds in one process (key generation is the slow part of start-up). */
    readonly tls?: LocalCloudTls;
    /** NCRONTAB of the re-verification timer; by default daily at 06:00, or once a year on a virtual clock (tests fire it on demand). */
    readonly reverifySchedule?: string;
    /** Simulated answer times of Graph, the relay and Exchange (benchmarks); none by default. */
    readonly latency?: StandInLatency;
    /** Observes every orchestrator replay (benchmarks): see LocalHostOptions.onOrchestratorReplay. */
    readonly onOrchestratorReplay?: LocalHostOptions['onOrchestratorReplay'];
    /** The token issuer's signing key, to share across worlds in one process; fresh by default. */
    readonly issuerSigningKey?: KeyObject;
    /** An Azurite to share across worlds in one process: this world gets a table of its own and leaves Azurite running. */
    readonly azurite?: RunningAzurite;
    /** Where the agent's data folder is made; the OS temp folder by default (tests that start many worlds use a tmpfs: the agent flushes every stored result). */
    readonly agentDataRoot?: string;
    /**
     * Run the agent's real PowerShellExchangeShell (host.ps1 and the scripts, in a real PowerShell)
     * against the Exchange cmdlet double over the simulated organization, instead of the simulated
     * organization's TypeScript shell.
     */
    readonly powershell?: PowerShellDoubleOptions;
    /** The agent's Exchange sessions (its shell.sessions); the agent's default by default. */
    readonly agentSessions?: number;
    /** Wraps the shell the agent runs Exchange operations on (fault injection in tests); the simulated organization by default. */
    readonly wrapShell?: (shell: ExchangeShell) => ExchangeShell;
    /** The agent's outbound proxy (tests of an agent behind a corporate proxy); direct by default. */
    readonly agentProxy?: ProxyPolicy;
    /** App settings over the world's own (tests of a setting, e.g. an empty key target allowlist). */
    readonly appSettings?: Readonly<Record<string, string>>;
    /**
     * More organizations in the same world (issue 16: many onboardings against one key target): each
     * a copy of the scenario's Exchange organization whose only accepted domain is its tenant domain,
     * with its own agent, hybrid connection and agent secret, sharing the one Entra tenant.
     */
    readonly organizations?: readonly { readonly tenantDomain: string; readonly hybridConnection: string }[];
    /** How much work the Functions host runs at once (LocalHostOptions.concurrency): a scaled-out app in benchmarks of many organizations. */
    readonly hostConcurrency?: number;
    /** A service provider's deployment: the scenario's directory (and these others) reached through the provider's multi-tenant application. */
    readonly provider?: LocalProviderOptions;
}

/** One more organization of a world of many (LocalStackOptions.organizations). */
export interface LocalOrganization {
    readonly tenantDomain: string;
    readonly hybridConnection: string;
    readonly exchange: SimulatedExchange;
    readonly agent: LocalAgent;
}

/** The world's own secrets, for tests that prove none of them leaks (they live in the Key Vault stand-in and the agent). */
export interface LocalStackSecrets {
    readonly relayListenKey: string;
    readonly relaySendKey: string;
    readonly agentSharedSecret: string;
}

/** The whole product on one machine (DESIGN.md section 3): the app on the local host, every stand-in, the agent. */
export interface LocalStack {
    readonly scenario: Scenario;
    readonly baseUrl: string;
    readonly functionKey: string;
    readonly clock: Clock;
    /** The current host; replaced by restartHost(). */
    readonly host: LocalHost;
    readonly cloud: LocalCloud;
    /** The API's app registration in the local tenant, its test users and automation principal (tokens for API calls). */
    readonly api: LocalApiIdentities;
    /** The environment ppo (and any @azure/identity client) signs in with here: the automation principal's client credentials against the local issuer. */
    readonly ppoEnvironment: Readonly<Record<string, string>>;
    readonly relay: RelayStandIn;
    /** Azure Resource Manager for the relay namespace: hybrid connections created and deleted at run time. */
    readonly relayManagement: RelayManagementStandIn;
    readonly exchange: SimulatedExchange;
    /** With the powershell option: the agent's PowerShell shell and the double's channel (fault injection). */
    readonly powershell: PowerShellDouble | undefined;
    readonly agent: LocalAgent;
    /** The organizations beyond the scenario's own (LocalStackOptions.organizations). */
    readonly organizations: readonly LocalOrganization[];
    readonly azurite: RunningAzurite;
    /** The app settings the app runs with (no secrets: those are in the Key Vault stand-in). */
    readonly appSettings: Readonly<Record<string, string>>;
    readonly agentDataFolder: string;
    readonly secrets: LocalStackSecrets;
    /** Stops the Functions host, abandoning work in flight, and starts a new one on the same store and port. */
    restartHost(): Promise<LocalHost>;
    stop(): Promise<void>;
}

function secret(): string {
    return randomBytes(32).toString('base64');
}

function appEntry(): string {
    // functions/index.ts under vitest or tsx, dist/functions/index.js once compiled.
    return join(__dirname, '..', '..', 'functions', `index${extname(__filename)}`);
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
    const { scenario } = options;
    const clock = options.clock ?? new RealClock();
    const hybridConnection = scenario.agent.hybridConnection;
    const tls = options.tls ?? createLocalCloudTls();
    const certificates = generateScenarioCertificates(scenario.exchange);
    const cleanups: (() => Promise<unknown>)[] = [];
    const stopAll = async () => {
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    };

    try {
        const cloud = await startLocalCloud({
            cloud: scenario.tenant.cloud,
            entra: scenario.entra,
            faults: scenario.faults,
            clock,
            tls,
            certificateDer: (id) => certificates.get(id)?.derBase64,
            domains: [scenario.tenant.domain],
            ...(options.provider === undefined ? {} : { provider: options.provider }),
            ...(options.latency === undefined ? {} : { latency: options.latency }),
            ...(options.issuerSigningKey === undefined ? {} : { issuerSigningKey: options.issuerSigningKey }),
        });
        cleanups.push(() => cloud.close());

        const listenRule = { name: 'agent-listen', key: secret() };
        const sendRule = { name: RELAY_SEND_RULE, key: secret() };
        const extraOrganizations = options.organizations ?? [];
        const relay = await startRelayStandIn({
            tls: tls.server,
            hybridConnections: [hybridConnection, ...extraOrganizations.map((organization) => organization.hybridConnection)].map((path) => ({ path, listenRule, sendRule })),
            ...(options.latency === undefined ? {} : { latency: options.latency }),
        });
        cleanups.push(() => relay.stop());
        const relayManagement = new RelayManagementStandIn({ relay, namespaceId: RELAY_NAMESPACE_ID, sendRule, verifier: cloud.issuer.verifier(), authorizedPrincipals: [cloud.productClient.objectId] });
        const relayManagementServer = await relayManagement.start(tls.server);
        cleanups.push(() => relayManagement.close());
        applyRelayFaults(relay, scenario, hybridConnection);

        const sharedSecret = secret();
        cloud.keyVault.setSecret(RELAY_SEND_KEY_SECRET, sendRule.key);
        cloud.keyVault.setSecret(`${AGENT_SECRET_PREFIX}${hybridConnection}`, sharedSecret);

        // Every organization of the world shares the one Entra tenant, its cloud and the certificates.
        const exchangeWorld = {
            clock,
            entra: cloud.graph,
            certificates,
            authMetadataHost: cloudEndpoints(scenario.tenant.cloud).acsMetadataHost,
            pushNotificationUri: pushNotificationUri(cloudEndpoints(scenario.tenant.cloud)),
        };
        const exchange = SimulatedExchange.fromScenario(scenario, exchangeWorld);
        const agentDataFolder = await mkdtemp(join(options.agentDataRoot ?? tmpdir(), 'ppo-agent-'));
        cleanups.push(() => rm(agentDataFolder, { recursive: true, force: true }));
        const sessions = options.agentSessions ?? EXCHANGE_SESSIONS.default;
        let openSession: (index: number) => ExchangeShell = () => exchange;
        let double: PowerShellDouble | undefined;
        if (options.powershell !== undefined) {
            double = await startPowerShellDouble(exchange, options.powershell);
            const started = double;
            cleanups.push(() => started.close());
            // Loading the cmdlets takes seconds: before the first operation, not during it.
            await double.shell.checkReady();
            openSession = (index) => (index === 0 ? started.shell : started.openSession());
        }
        const agentShell = localAgentShell(sessions, openSession, options.latency);
        const agent = new LocalAgent({
            namespace: relay.namespace,
            hybridConnection,
            listenRule,
            caPem: tls.caPem,
            sharedSecret,
            dataFolder: agentDataFolder,
            shell: options.wrapShell === undefined ? agentShell : options.wrapShell(agentShell),
            restartAfterOperations: scenario.faults.agent.restartAfterOperations,
            loseConnection: () => relay.dropListeners(hybridConnection),
            ...(options.agentProxy === undefined ? {} : { proxy: options.agentProxy }),
        });
        await agent.start();
        cleanups.push(() => agent.stop());
        if (isVirtualClock(clock)) cleanups.push(holdClockWhileAgentReconnects(clock, relay, agent, hybridConnection));

        const organizations: LocalOrganization[] = [];
        for (const organization of extraOrganizations) {
            const own: Scenario = {
                ...scenario,
                tenant: { ...scenario.tenant, domain: organization.tenantDomain },
                agent: { ...scenario.agent, hybridConnection: organization.hybridConnection },
                // Its own organization GUID: a tenant is bound to one organization (DESIGN.md section 7).
                exchange: { ...scenario.exchange, organization: { name: organization.tenantDomain, guid: randomUUID() }, acceptedDomains: [organization.tenantDomain] },
            };
            const ownSecret = secret();
            cloud.keyVault.setSecret(`${AGENT_SECRET_PREFIX}${organization.hybridConnection}`, ownSecret);
            const ownExchange = SimulatedExchange.fromScenario(own, exchangeWorld);
            const dataFolder = await mkdtemp(join(options.agentDataRoot ?? tmpdir(), 'ppo-agent-'));
            cleanups.push(() => rm(dataFolder, { recursive: true, force: true }));
            const ownAgent = new LocalAgent({
                namespace: relay.namespace,
                hybridConnection: organization.hybridConnection,
                listenRule,
                caPem: tls.caPem,
                sharedSecret: ownSecret,
                dataFolder,
                shell: localAgentShell(sessions, () => ownExchange, options.latency),
                restartAfterOperations: [],
                loseConnection: () => relay.dropListeners(organization.hybridConnection),
            });
            await ownAgent.start();
            cleanups.push(() => ownAgent.stop());
            organizations.push({ ...organization, exchange: ownExchange, agent: ownAgent });
        }

        const azurite = options.azurite ?? (await startAzuriteTables());
        if (options.azurite === undefined) cleanups.push(() => azurite.stop());

        const cloudSettings = cloud.environment();
        const managementHost = new URL(RESOURCE_MANAGER_ENDPOINTS[scenario.tenant.cloud]).hostname;
        const appSettings: Record<string, string> = {
            ...cloudSettings,
            PPO_OUTBOUND_CONNECT_TO: `${cloudSettings.PPO_OUTBOUND_CONNECT_TO ?? ''},${managementHost}=${relayManagementServer.address.host}:${relayManagementServer.address.port}`,
            PPO_RELAY_RESOURCE_ID: RELAY_NAMESPACE_ID,
            PPO_RELAY_NAMESPACE: relay.namespace,
            // The relay stand-in checks SAS tokens as the service does; Entra ID tokens it does not issue or check.
            PPO_RELAY_AUTH: 'sas',
            PPO_RELAY_SEND_RULE: RELAY_SEND_RULE,
            PPO_RELAY_SEND_KEY_SECRET: RELAY_SEND_KEY_SECRET,
            PPO_AGENT_SECRET_PREFIX: AGENT_SECRET_PREFIX,
            PPO_REGISTRY_CONNECTION_STRING: azurite.connectionString,
            PPO_REGISTRY_TABLE: options.azurite === undefined ? 'tenants' : `tenants${randomBytes(6).toString('hex')}`,
            PPO_REVERIFY_SCHEDULE: options.reverifySchedule ?? (clock.virtual ? '0 0 6 1 1 *' : '0 0 6 * * *'),
            // The administrator of this world allows its scenario's hybrid application as a key target.
            PPO_KEY_TARGET_APP_IDS: scenario.entra.keyTarget.kind === 'application' ? scenario.entra.keyTarget.appId : '',
            ...options.appSettings,
        };
        const store = options.store ?? new InMemoryDurableStore();
        const api = registerLocalApiIdentities(cloud.issuer, scenario.entra.tenantId, scenario.tenant.domain);
        const authentication = appServiceAuthentication({
            validateBearer: validateApiBearer(cloud.issuer, api),
            signInUsers: api.users.map((user) => ({ objectId: user.client.objectId, upn: user.upn, displayName: user.displayName, tenantId: api.tenantId, roles: user.roles })),
            unauthenticatedClientAction: 'Return401',
            // The routes no role guards: infra/ lists them as App Service authentication's excludedPaths too.
            excludedPaths: unauthenticatedPaths(),
            now: () => cloud.issuer.tokenClock.now(),
        });
        const startHost = (port: number, functionKey: string | undefined) =>
            startLocalHost({
                entry: appEntry(),
                port,
                clock,
                env: appSettings,
                store,
                authentication,
                ...(functionKey === undefined ? {} : { functionKey }),
                ...(options.atLeastOnce === undefined ? {} : { atLeastOnce: options.atLeastOnce }),
                ...(options.logSink === undefined ? {} : { logSink: options.logSink }),
                ...(options.onOrchestratorReplay === undefined ? {} : { onOrchestratorReplay: options.onOrchestratorReplay }),
                ...(options.hostConcurrency === undefined ? {} : { concurrency: options.hostConcurrency }),
            });
        let host = await startHost(options.port ?? 7071, options.functionKey);
        cleanups.push(() => host.stop());

        return {
            scenario,
            baseUrl: host.baseUrl,
            functionKey: host.functionKey,
            clock,
            get host() {
                return host;
            },
            async restartHost() {
                await host.stop();
                host = await startHost(Number(new URL(host.baseUrl).port), host.functionKey);
                return host;
            },
            cloud,
            api,
            ppoEnvironment: {
                PPO_API_URL: host.baseUrl,
                PPO_SIGN_IN: 'client-secret',
                PPO_API_APP_ID_URI: api.appIdUri,
                PPO_TENANT_ID: api.tenantId,
                PPO_CLIENT_ID: api.automation.clientId,
                PPO_CLIENT_SECRET: api.automationSecret,
                PPO_AUTHORITY_HOST: `https://localhost:${cloud.issuerAddress.port}`,
                PPO_EXTRA_CA_FILE: cloud.caFile,
            },
            relay,
            relayManagement,
            exchange,
            powershell: double,
            agent,
            organizations,
            azurite,
            appSettings,
            agentDataFolder,
            secrets: { relayListenKey: listenRule.key, relaySendKey: sendRule.key, agentSharedSecret: sharedSecret },
            stop: stopAll,
        };
    } catch (error) {
        await stopAll();
        throw error;
    }
}


function applyRelayFaults(relay: RelayStandIn, scenario: Scenario, path: string): void {
    const faults = scenario.faults.relay;
    for (const count of faults.dropListenerAfterRequests) relay.dropListenersAfterRequests(count, path);
    if (faults.dropListenerDuringRequests.length > 0) relay.dropListenersDuringRequests(faults.dropListenerDuringRequests, path);
    if (faults.delayMs > 0) relay.setDelayMs(faults.delayMs);
    if (faults.refuseWith503 > 0) relay.refuseNext503(faults.refuseWith503);
}

/** Longest real time the clock waits for a reconnecting agent before moving on without it. */
const RECONNECT_HOLD_LIMIT_MS = 10_000;

/**
 * On a virtual clock, durable timers wait while the agent reconnects (after a relay drop or a
 * restart), as they would in a real world where a reconnection takes a second and a retry waits
 * several: otherwise the host would fire every retry of an agent call within the few milliseconds
 * the reconnection takes in real time, and exhaust them. An agent stopped on purpose holds nothing.
 */
function holdClockWhileAgentReconnects(clock: VirtualClock, relay: RelayStandIn, agent: LocalAgent, path: string): () => Promise<void> {
    let release: (() => void) | undefined;
    let limit: NodeJS.Timeout | undefined;
    const resume = (): void => {
        clearTimeout(limit);
        release?.();
        release = undefined;
    };
    const unsubscribe = relay.onEvent((event) => {
        if (event.type === 'listener-connected' && event.path === path) resume();
        if (event.type !== 'listener-disconnected' || event.path !== path) return;
        if (!agent.running) return resume();
        if (release !== undefined || relay.listenerCount(path) > 0) return;
        release = clock.hold();
        limit = setTimeout(resume, RECONNECT_HOLD_LIMIT_MS);
        limit.unref();
    });
    return () => {
        unsubscribe();
        resume();
        return Promise.resolve();
    };
}
