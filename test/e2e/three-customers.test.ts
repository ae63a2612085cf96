import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, type Scenario } from '../../local/scenario/schema';
import type { CustomerScenario } from '../../local/scenario/provider-schema';
import { providerOptionsOf, startEnrolledOrganization, type EnrolledOrganization, type EnrollmentAnswer } from '../../local/stack/customer-organizations';
import { AGENT_SECRET_PREFIX, type LocalStack } from '../../local/stack/local-stack';
import { api, waitForRun, type RunView } from './support/api';
import { startWorld } from './support/world';

const THREE_CUSTOMERS = join(__dirname, '..', '..', 'local', 'scenarios', 'three-customers.json');

interface Onboarded {
    readonly customer: CustomerScenario;
    readonly answer: EnrollmentAnswer;
    readonly organization: EnrolledOrganization;
    readonly run: RunView;
}

/** The certificate an onboarding registered, from the run's output. */
function thumbprintOf(run: RunView): string {
    return ((run.output as { certificate?: { thumbprint?: string } } | null)?.certificate?.thumbprint ?? '').toUpperCase();
}

describe('a service provider enrolls and onboards three customers from one deployment (local/scenarios/three-customers.json)', () => {
    let stack: LocalStack;
    let scenario: Scenario;
    const onboarded: Onboarded[] = [];

    beforeAll(async () => {
        scenario = await loadScenarioFile(THREE_CUSTOMERS);
        stack = await startWorld(scenario, { provider: providerOptionsOf(scenario) ?? { tenantId: '' } });
        for (const customer of scenario.provider?.customers ?? []) {
            const enrolled = await api<EnrollmentAnswer>(stack, 'POST', 'organizations', { name: customer.organization });
            if (enrolled.status !== 201) throw new Error(`enrolling ${customer.organization} answered ${enrolled.status}`);
            const organization = await startEnrolledOrganization(stack, customer, enrolled.body);
            // No tenantId: the product discovers each customer's directory from its domain.
            const started = await api<{ instanceId: string }>(stack, 'POST', `tenants/${customer.domain}/onboard`, { agent: { hybridConnection: customer.organization } });
            if (started.status !== 202) throw new Error(`onboarding ${customer.domain} answered ${started.status}: ${JSON.stringify(started.body)}`);
            onboarded.push({ customer, answer: enrolled.body, organization, run: await waitForRun(stack, started.body.instanceId) });
        }
    }, 180_000);

    afterAll(async () => {
        for (const { organization } of onboarded) await organization.stop();
        await stack.stop();
    });

    const directories = (): string[] => [scenario.entra.tenantId, ...(scenario.provider?.customers ?? []).map((customer) => customer.tenantId)];

    it('onboards all three', () => {
        // Assess
        expect(onboarded.map(({ customer, run }) => `${customer.domain} ${run.runtimeStatus}`)).toEqual(['contoso.com Completed', 'fabrikam.com Completed', 'tailspintoys.com Completed']);
    });

    it('registers each key only in its own directory, and leaves the provider\'s directory alone', () => {
        // Prepare
        const holders = (thumbprint: string): string[] =>
            directories().filter((tenantId) => stack.cloud.graph.keyTargetCredentials(tenantId).some((credential) => credential.thumbprint.toUpperCase() === thumbprint));

        // Assess
        for (const { customer, run } of onboarded) expect({ customer: customer.domain, holders: holders(thumbprintOf(run)) }).toEqual({ customer: customer.domain, holders: [customer.tenantId] });
        for (const { customer } of onboarded) expect(stack.cloud.graph.keyTargetCredentials(customer.tenantId)).toHaveLength(1);
        expect(stack.cloud.graph.keyTargetCredentials(scenario.entra.tenantId)).toEqual([]);
    });

    it('asks Graph for each customer\'s directory with the provider\'s application, and records the discovered directory', async () => {
        // Prepare
        const graphTokens = stack.cloud.issuer.tokenRequests.filter((request) => request.scope === 'https://graph.microsoft.com/.default' && request.outcome === 'issued');

        // Act
        const recorded = await Promise.all(onboarded.map(({ customer }) => api<{ tenant: { tenantId: string } }>(stack, 'GET', `tenants/${customer.domain}`)));

        // Assess
        expect(new Set(graphTokens.map((request) => `${request.tenant} ${request.clientId}`))).toEqual(new Set(onboarded.map(({ customer }) => `${customer.tenantId} ${stack.cloud.providerApp?.clientId}`)));
        expect(recorded.map((answer) => answer.body.tenant.tenantId)).toEqual(onboarded.map(({ customer }) => customer.tenantId));
    });

    it('configures each organization through its own agent, set up only from its enrollment answer', () => {
        // Assess
        for (const { customer, answer, organization, run } of onboarded) {
            expect(answer.agentConfiguration.relay.hybridConnection).toBe(customer.organization);
            expect(stack.relay.listenerCount(customer.organization)).toBe(1);
            expect(stack.cloud.keyVault.secretValues().find((entry) => entry.name === `${AGENT_SECRET_PREFIX}${customer.organization}`)?.value).toBe(answer.agentConfiguration.sharedSecret);
            expect(organization.exchange.authConfig().currentThumbprint?.toUpperCase()).toBe(thumbprintOf(run));
            expect(organization.exchange.pushProxyState()).toMatchObject({ enabled: true, organization: customer.domain });
        }
        expect(stack.exchange.pushProxyState().enabled).toBe(false);
    });
});
