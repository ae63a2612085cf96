import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_NAMES, cloudEndpoints, type CloudName } from '../../lib/clouds';
import type { AzureAccessSettings } from '../../lib/identity/settings';
import { RealClock, type Clock } from '../clock';
import { GraphStandIn } from '../graph/graph-stand-in';
import type { CertificateDerLookup } from '../graph/seed-directory';
import { KeyVaultStandIn } from '../keyvault/keyvault-stand-in';
import type { StandInLatency } from '../latency/stand-in-latency';
import type { EntraScenario } from '../scenario/entra-schema';
import { faultsScenarioSchema, type FaultsScenario } from '../scenario/faults-schema';
import type { Scenario } from '../scenario/schema';
import { TestCertificateAuthority, type ServerTlsMaterial } from '../tls/test-authority';
import { TOKEN_EXCHANGE_AUDIENCES } from '../../lib/identity/token-exchange';
import { RESOURCE_MANAGER_ENDPOINTS } from '../../lib/relay/relay-management';
import type { MultiTenantApplication } from './federated-applications';
import { LocalTokenIssuer, type IssuerClient } from './token-issuer';

export interface LocalCloudOptions {
    /** Which cloud's host names the stand-ins answer for. */
    readonly cloud: CloudName;
    readonly entra: EntraScenario;
    readonly faults?: FaultsScenario;
    /** The world clock (Key Vault creation delay, default dates of generated certificates). */
    readonly clock: Clock;
    /** DER of Exchange scenario certificates by id, for pre-existing key credentials that refer to one. */
    readonly certificateDer?: CertificateDerLookup;
    readonly vaultName?: string;
    /** Token lifetimes; real time by default. */
    readonly tokenClock?: Clock;
    /** TLS to reuse across worlds (RSA key generation dominates start-up); made fresh when absent. */
    readonly tls?: LocalCloudTls;
    /** The issuer's signing key to reuse across worlds; made fresh when absent. */
    readonly issuerSigningKey?: KeyObject;
    /** Simulated answer time of Graph requests (benchmarks); none by default. */
    readonly latency?: StandInLatency;
    /** Verified domains of the `entra` directory (tenant discovery by domain). */
    readonly domains?: readonly string[];
    /**
     * A service provider's deployment: the product's identity lives in the provider's directory, and
     * Graph is reached in each customer's directory (`entra` and `customers`) as the provider's
     * multi-tenant application through its federated credential. Absent: single directory.
     */
    readonly provider?: LocalProviderOptions;
}

/** Customers' directories besides `entra`, and which ones consented. */
export interface LocalProviderOptions {
    readonly tenantId: string;
    readonly customers?: readonly LocalCustomerDirectory[];
    /** Whether the `entra` directory's administrator consented; true by default. */
    readonly consented?: boolean;
}

export interface LocalCustomerDirectory {
    readonly entra: EntraScenario;
    readonly domains: readonly string[];
    readonly consented: boolean;
}

/** A CA and one server certificate valid for every host name of every cloud the stand-ins may serve. */
export interface LocalCloudTls {
    readonly caPem: string;
    readonly server: ServerTlsMaterial;
}

/** Entra ID, Microsoft Graph and Key Vault of one local world, and how the product reaches them. */
export interface LocalCloud {
    readonly cloud: CloudName;
    readonly issuer: LocalTokenIssuer;
    /** The product's app registration in the local Entra ID (its managed identity); its roles decide Graph's 403s in single-directory mode. */
    readonly productClient: IssuerClient;
    /** The provider's multi-tenant application, in a provider deployment. */
    readonly providerApp: MultiTenantApplication | undefined;
    readonly graph: GraphStandIn;
    readonly keyVault: KeyVaultStandIn;
    readonly keyVaultUrl: string;
    readonly caPem: string;
    /** A PEM file of caPem, for clients that read their CA from a file (PPO_EXTRA_CA_FILE). */
    readonly caFile: string;
    /** Where the issuer listens: clients outside the product reach it as https://localhost:<port> (its certificate names localhost). */
    readonly issuerAddress: { readonly host: string; readonly port: number };
    /** Settings the product would read from its environment (see `environment()`). */
    readonly settings: AzureAccessSettings;
    /** The app settings (PPO_*) that point the unchanged product at this world. */
    environment(): Record<string, string>;
    close(): Promise<void>;
}

const noScenarioCertificates: CertificateDerLookup = () => undefined;

function hostNamesOf(cloud: CloudName): { readonly login: string; readonly graph: string; readonly vaultSuffix: string } {
    const endpoints = cloudEndpoints(cloud);
    return { login: new URL(endpoints.loginAuthority).hostname, graph: new URL(endpoints.graphEndpoint).hostname, vaultSuffix: endpoints.keyVaultDnsSuffix };
}

export function createLocalCloudTls(): LocalCloudTls {
    const authority = new TestCertificateAuthority('push-proxy-orchestrator local cloud CA');
    const names = new Set<string>(['localhost']);
    for (const cloud of CLOUD_NAMES) {
        const hosts = hostNamesOf(cloud);
        for (const host of [hosts.login, hosts.graph, `*.${hosts.vaultSuffix}`, new URL(RESOURCE_MANAGER_ENDPOINTS[cloud]).hostname]) names.add(host);
    }
    return { caPem: authority.caPem, server: authority.issueServerCertificate([...names]) };
}

/**
 * Starts the issuer, Graph and Key Vault stand-ins over HTTPS on 127.0.0.1, each under the real host
 * names of `cloud` (login, Graph, "<vault>.<Key Vault suffix>") with certificates from a CA made now.
 * The product reaches them through configuration only: PPO_CREDENTIAL=localIssuer with the issuer's
 * token URL, PPO_EXTRA_CA_FILE, and PPO_OUTBOUND_CONNECT_TO routes for its own clients.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
    const endpoints = cloudEndpoints(options.cloud);
    const faults = options.faults ?? faultsScenarioSchema.parse({});
    const tokenClock = options.tokenClock ?? new RealClock();
    const hosts = hostNamesOf(options.cloud);
    const loginHost = hosts.login;
    const graphHost = hosts.graph;
    const vaultHost = `${options.vaultName ?? 'pushproxy-local'}.${hosts.vaultSuffix}`;
    const tls = options.tls ?? createLocalCloudTls();

    const issuer = new LocalTokenIssuer(tokenClock, 3600, options.issuerSigningKey);
    const provider = options.provider;
    const homeTenantId = provider?.tenantId ?? options.entra.tenantId;
    const productClient = issuer.registerClient(homeTenantId, provider === undefined ? options.entra.grantedRoles : []);
    issuer.directories.addDirectory(options.entra.tenantId, options.domains ?? []);
    const providerApp = provider === undefined ? undefined : registerProvider(issuer, provider, options.entra, productClient, endpoints.loginAuthority, options.cloud);
    const graph = new GraphStandIn({
        entra: options.entra,
        faults: faults.graph,
        silentDrops: faults.graphSilentDrops,
        verifier: issuer.verifier(),
        certificateDer: options.certificateDer ?? noScenarioCertificates,
        clock: options.clock,
        tokenClock,
        ...(options.latency === undefined ? {} : { latency: options.latency }),
    });
    const keyVault = new KeyVaultStandIn({
        faults: faults.keyVault,
        verifier: issuer.verifier(),
        tenantId: homeTenantId,
        authorityHost: endpoints.loginAuthority,
        clock: options.clock,
        tokenClock,
    });
    for (const customer of provider?.customers ?? []) graph.addDirectory(customer.entra);
    const [issuerServer, graphServer, vaultServer] = await Promise.all([issuer.start(tls.server), graph.start(tls.server), keyVault.start(tls.server)]);
    const routes = new Map([
        [loginHost, issuerServer.address],
        [graphHost, graphServer.address],
        [vaultHost, vaultServer.address],
    ]);
    const tokenUrl = `https://${loginHost}/${homeTenantId}/oauth2/v2.0/token`;
    const settings: AzureAccessSettings = {
        cloud: options.cloud,
        credential: { kind: 'localIssuer', tokenUrl, clientId: productClient.clientId },
        outbound: { trustedCaPem: tls.caPem, connectTo: routes },
    };
    const caDirectory = mkdtempSync(join(tmpdir(), 'ppo-local-cloud-'));
    const caFile = join(caDirectory, 'ca.pem');
    writeFileSync(caFile, tls.caPem);
    return {
        cloud: options.cloud,
        issuer,
        productClient,
        providerApp,
        graph,
        keyVault,
        keyVaultUrl: `https://${vaultHost}`,
        caPem: tls.caPem,
        caFile,
        issuerAddress: issuerServer.address,
        settings,
        environment: () => ({
            PPO_CLOUD: options.cloud,
            PPO_CREDENTIAL: 'localIssuer',
            PPO_LOCAL_ISSUER_URL: tokenUrl,
            PPO_AZURE_CLIENT_ID: productClient.clientId,
            PPO_KEY_VAULT_URL: `https://${vaultHost}`,
            PPO_EXTRA_CA_FILE: caFile,
            PPO_OUTBOUND_CONNECT_TO: [...routes].map(([host, address]) => `${host}=${address.host}:${address.port}`).join(','),
            ...(providerApp === undefined ? {} : { PPO_DIRECTORIES: 'multiTenant', PPO_PROVIDER_APP_ID: providerApp.clientId }),
        }),
        close: async () => {
            await Promise.all([issuer.close(), graph.close(), keyVault.close()]);
            rmSync(caDirectory, { recursive: true, force: true });
        },
    };
}

/**
 * The provider's multi-tenant application in its home directory, with one federated identity
 * credential trusting the product's managed identity (issuer: the home directory's authority URL;
 * subject: the identity's object id; audience: the cloud's token-exchange audience), and the
 * customers' directories, consented or not.
 */
function registerProvider(issuer: LocalTokenIssuer, provider: LocalProviderOptions, entra: EntraScenario, managedIdentity: IssuerClient, loginAuthority: string, cloud: CloudName): MultiTenantApplication {
    issuer.directories.addDirectory(provider.tenantId, []);
    const application = issuer.directories.registerApplication(provider.tenantId, [
        { issuer: `${loginAuthority}/${provider.tenantId}/v2.0`, subject: managedIdentity.objectId, audiences: [TOKEN_EXCHANGE_AUDIENCES[cloud]] },
    ]);
    if (provider.consented ?? true) issuer.directories.consent(application.clientId, entra.tenantId, entra.grantedRoles);
    for (const customer of provider.customers ?? []) {
        issuer.directories.addDirectory(customer.entra.tenantId, customer.domains);
        if (customer.consented) issuer.directories.consent(application.clientId, customer.entra.tenantId, customer.entra.grantedRoles);
    }
    return application;
}

/** The same for a whole scenario file (its tenant cloud, Entra part and faults). */
export function startLocalCloudForScenario(scenario: Scenario, world: { readonly clock: Clock; readonly certificateDer?: CertificateDerLookup }): Promise<LocalCloud> {
    return startLocalCloud({
        cloud: scenario.tenant.cloud,
        entra: scenario.entra,
        faults: scenario.faults,
        clock: world.clock,
        ...(world.certificateDer === undefined ? {} : { certificateDer: world.certificateDer }),
    });
}
