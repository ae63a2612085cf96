import { operationPath, SIGNATURE_HEADERS } from '../../lib/protocol';
import { relayResourceUri } from '../../lib/relay/sas-token';
import type { StandaloneSimulation } from './standalone-simulation';

export interface SimulationOutputOptions {
    /** One JSON line instead of text, for scripts and tests. */
    readonly json: boolean;
    /** Include the Send key and the shared secret; without it they are never printed. */
    readonly showSecrets: boolean;
}

export const SIMULATION_READY_EVENT = 'simulation-ready';

/** What a sender needs to reach the simulated agent; the JSON form of the ready line. */
export interface SimulationDetails {
    readonly event: typeof SIMULATION_READY_EVENT;
    readonly scenario: string;
    readonly scenarioFile: string;
    readonly organization: string;
    readonly namespace: string;
    readonly hybridConnection: string;
    readonly sendRuleName: string;
    /** The resource a Send SAS token signs. */
    readonly sasResource: string;
    readonly caFile: string;
    readonly dataFolder: string;
    readonly exampleRequest: { readonly method: 'POST'; readonly url: string; readonly body: string };
    readonly secrets?: { readonly sendKey: string; readonly sharedSecret: string };
}

export function simulationDetails(simulation: StandaloneSimulation, showSecrets: boolean): SimulationDetails {
    const { relay } = simulation;
    return {
        event: SIMULATION_READY_EVENT,
        scenario: simulation.scenario.name,
        scenarioFile: simulation.scenarioPath,
        organization: simulation.scenario.exchange.organization.name,
        namespace: relay.namespace,
        hybridConnection: relay.hybridConnection,
        sendRuleName: relay.sendRuleName,
        sasResource: relayResourceUri(relay.namespace, relay.hybridConnection),
        caFile: simulation.caFile,
        dataFolder: simulation.dataFolder,
        exampleRequest: {
            method: 'POST',
            url: `https://${relay.namespace}/${relay.hybridConnection}${operationPath('inventory')}`,
            body: JSON.stringify({ operationId: 'try-inventory-1', params: {} }),
        },
        ...(showSecrets ? { secrets: { sendKey: relay.sendKey, sharedSecret: simulation.sharedSecret } } : {}),
    };
}

const HIDDEN = '(hidden: add --show-secrets)';

/** The ready message for an administrator: where the simulated agent listens and how to call it. */
export function formatSimulationDetails(details: SimulationDetails): string {
    const request = details.exampleRequest;
    return [
        `Simulated agent for scenario "${details.scenario}" (organization ${details.organization}); no Azure involved.`,
        `  relay namespace    ${details.namespace}  (relay stand-in on loopback; trust its CA ${details.caFile})`,
        `  hybrid connection  ${details.hybridConnection}`,
        `  send rule          ${details.sendRuleName}, key ${details.secrets?.sendKey ?? HIDDEN}`,
        `  shared secret      ${details.secrets?.sharedSecret ?? HIDDEN}`,
        `  data folder        ${details.dataFolder}  (removed on exit)`,
        'To send a signed request:',
        `  ${request.method} ${request.url}`,
        `  body ${request.body}`,
        `  header ServiceBusAuthorization: a SAS token of the send rule for ${details.sasResource}`,
        `  headers ${SIGNATURE_HEADERS.timestamp}, ${SIGNATURE_HEADERS.nonce}, ${SIGNATURE_HEADERS.signature}: HMAC-SHA256 with the shared secret (docs/agent.md, "Signed requests");`,
        '  RelaySender (lib/relay) with AgentClient (lib/agent-client) does both. Stop with Ctrl+C.',
        '',
    ].join('\n');
}
