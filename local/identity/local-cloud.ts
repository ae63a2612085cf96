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
    /** The product's app registration in the local Entra ID; its roles decide Graph's 403s. */
    readonly productClient: IssuerClient;
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
        for (const host of [hosts.login, hosts.graph, `*.${hosts.vaultSuffix}`]) names.add(host);
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
    const productClient = issuer.registerClient(options.entra.tenantId, options.entra.grantedRoles);
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
        tenantId: options.entra.tenantId,
        authorityHost: endpoints.loginAuthority,
        clock: options.clock,
        tokenClock,
    });
    const [issuerServer, graphServer, vaultServer] = await Promise.all([issuer.start(tls.server), graph.start(tls.server), keyVault.start(tls.server)]);
    const routes = new Map([
        [loginHost, issuerServer.address],
        [graphHost, graphServer.address],
        [vaultHost, vaultServer.address],
    ]);
    const tokenUrl = `https://${loginHost}/${options.entra.tenantId}/oauth2/v2.0/token`;
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
        }),
        close: async () => {
            await Promise.all([issuer.close(), graph.close(), keyVault.close()]);
            rmSync(caDirectory, { recursive: true, force: true });
        },
    };
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
