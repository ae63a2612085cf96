import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudEndpoints, pushNotificationUri } from '../../lib/clouds';
import { generateScenarioCertificates } from '../exchange/scenario-certificates';
import { SimulatedExchange } from '../exchange/simulated-exchange';
import type { LocalProviderOptions } from '../identity/local-cloud';
import type { EntraScenario } from '../scenario/entra-schema';
import type { CustomerScenario } from '../scenario/provider-schema';
import type { Scenario } from '../scenario/schema';
import { LocalAgent } from './local-agent';
import type { LocalStack } from './local-stack';

/** What POST /api/organizations answers, once: the agent's relay settings and shared secret. */
export interface EnrollmentAnswer {
    readonly organization: string;
    readonly agentConfiguration: {
        readonly relay: { readonly namespace: string; readonly hybridConnection: string; readonly listenRuleName: string; readonly listenKey: string };
        readonly sharedSecret: string;
    };
}

/** A customer's directory: the scenario's Entra part under the customer's directory id, with no key credential yet. */
export function customerEntra(scenario: Scenario, customer: CustomerScenario): EntraScenario {
    return { ...scenario.entra, tenantId: customer.tenantId, keyCredentials: [] };
}

/** The stack's provider option for a scenario with customers; undefined for a single-directory scenario. */
export function providerOptionsOf(scenario: Scenario): LocalProviderOptions | undefined {
    const provider = scenario.provider;
    if (provider === undefined) return undefined;
    return {
        tenantId: provider.tenantId,
        customers: provider.customers.map((customer) => ({ entra: customerEntra(scenario, customer), domains: [customer.domain], consented: customer.consented })),
    };
}

/** A customer's organization started on premises from its enrollment answer. */
export interface EnrolledOrganization {
    readonly customer: CustomerScenario;
    readonly exchange: SimulatedExchange;
    readonly agent: LocalAgent;
    stop(): Promise<void>;
}

/**
 * The customer's Exchange organization (a copy of the scenario's, under its own name, GUID and
 * domain, trusting only its own directory) and its agent, configured only from what enrollment
 * answered, as the customer's administrator would configure it.
 */
export async function startEnrolledOrganization(stack: LocalStack, customer: CustomerScenario, answer: EnrollmentAnswer): Promise<EnrolledOrganization> {
    const scenario = stack.scenario;
    const exchangeScenario = { ...scenario.exchange, organization: customer.exchangeOrganization, acceptedDomains: [customer.domain] };
    const endpoints = cloudEndpoints(scenario.tenant.cloud);
    const exchange = SimulatedExchange.fromScenario(
        { ...scenario, tenant: { ...scenario.tenant, domain: customer.domain }, entra: customerEntra(scenario, customer), exchange: exchangeScenario },
        {
            clock: stack.clock,
            entra: stack.cloud.graph.viewOf(customer.tenantId),
            certificates: generateScenarioCertificates(exchangeScenario),
            authMetadataHost: endpoints.acsMetadataHost,
            pushNotificationUri: pushNotificationUri(endpoints),
        },
    );
    const { relay, sharedSecret } = answer.agentConfiguration;
    const dataFolder = await mkdtemp(join(tmpdir(), 'ppo-customer-agent-'));
    const agent = new LocalAgent({
        namespace: relay.namespace,
        hybridConnection: relay.hybridConnection,
        listenRule: { name: relay.listenRuleName, key: relay.listenKey },
        caPem: stack.cloud.caPem,
        sharedSecret,
        dataFolder,
        shell: exchange,
        restartAfterOperations: [],
    });
    try {
        await agent.start();
    } catch (error) {
        await rm(dataFolder, { recursive: true, force: true });
        throw error;
    }
    return {
        customer,
        exchange,
        agent,
        async stop() {
            await agent.stop();
            await rm(dataFolder, { recursive: true, force: true });
        },
    };
}
