import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../lib/logger';
import { startRelayStandIn } from '../relay/relay-stand-in';
import type { RelayStandIn } from '../relay/stand-in-types';
import { loadScenarioFile, type Scenario } from '../scenario/schema';
import { TestCertificateAuthority } from '../tls/test-authority';

export const SIMULATED_HYBRID_CONNECTION = 'simulated-agent';
export const SIMULATED_LISTEN_RULE = 'agent-listen';
export const SIMULATED_SEND_RULE = 'orchestrator-send';
export const RELAY_CA_FILE = 'relay-ca.pem';

/** Everything the agent and a sender need to meet on the loopback relay; lives only in this process. */
export interface StandaloneSimulation {
    readonly scenarioPath: string;
    readonly scenario: Scenario;
    readonly relay: {
        readonly namespace: string;
        readonly hybridConnection: string;
        readonly listenRuleName: string;
        readonly listenKey: string;
        readonly sendRuleName: string;
        readonly sendKey: string;
    };
    readonly caPem: string;
    /** The relay stand-in's CA as a file, for senders outside this process. */
    readonly caFile: string;
    readonly sharedSecret: string;
    /** Throwaway operations.jsonl and audit.jsonl; removed by stop(). */
    readonly dataFolder: string;
    stop(): Promise<void>;
}

function azureLikeKey(): string {
    return randomBytes(32).toString('base64');
}

/**
 * Loads the scenario, makes throwaway relay keys and a shared secret, and starts a relay stand-in on
 * 127.0.0.1 with a certificate from a throwaway CA: no Azure and no configuration file involved.
 */
export async function startStandaloneSimulation(scenarioPath: string, logger: Logger): Promise<StandaloneSimulation> {
    const scenario = await loadScenarioFile(scenarioPath);
    const listenKey = azureLikeKey();
    const sendKey = azureLikeKey();
    const authority = new TestCertificateAuthority('push-proxy-agent simulation CA');
    const standIn: RelayStandIn = await startRelayStandIn({
        tls: authority,
        hybridConnections: [{ path: SIMULATED_HYBRID_CONNECTION, listenRule: { name: SIMULATED_LISTEN_RULE, key: listenKey }, sendRule: { name: SIMULATED_SEND_RULE, key: sendKey } }],
        logger,
    });
    let dataFolder: string | undefined;
    try {
        dataFolder = await mkdtemp(join(tmpdir(), 'ppo-agent-simulation-'));
        const caFile = join(dataFolder, RELAY_CA_FILE);
        await writeFile(caFile, standIn.caPem);
        const folder = dataFolder;
        return {
            scenarioPath,
            scenario,
            relay: { namespace: standIn.namespace, hybridConnection: SIMULATED_HYBRID_CONNECTION, listenRuleName: SIMULATED_LISTEN_RULE, listenKey, sendRuleName: SIMULATED_SEND_RULE, sendKey },
            caPem: standIn.caPem,
            caFile,
            sharedSecret: randomBytes(32).toString('hex'),
            dataFolder: folder,
            stop: async () => {
                await standIn.stop();
                await rm(folder, { recursive: true, force: true });
            },
        };
    } catch (error) {
        await standIn.stop();
        if (dataFolder !== undefined) await rm(dataFolder, { recursive: true, force: true });
        throw error;
    }
}
