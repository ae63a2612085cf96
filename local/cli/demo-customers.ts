import { accessTokenOf, signIn } from '../../cli/api-sign-in';
import type { CliStream } from '../../cli/cli-io';
import { PpoApiClient } from '../../cli/ppo-api';
import type { TenantConsent } from '../../cli/ppo-api-schemas';
import { onboardSucceededSchema, type RunView } from '../../cli/run-api-schemas';
import { watchRun } from '../../cli/watch-run';
import type { CustomerScenario } from '../scenario/provider-schema';
import { startEnrolledOrganization, type EnrolledOrganization } from '../stack/customer-organizations';
import type { LocalStack } from '../stack/local-stack';

/** One customer's part of the demo's --json object. */
export interface CustomerReport {
    readonly organization: string;
    readonly domain: string;
    readonly tenantId: string;
    /** The hybrid connection and Listen rule enrollment created; the key and secret the agent got are never shown. */
    readonly enrollment: { readonly hybridConnection: string; readonly listenRuleName: string; readonly namespace: string };
    readonly consent: { readonly consented: boolean; readonly tenantId: string | null; readonly tenantIdSource: string | null; readonly consentUrl: string | null };
    readonly onboarding: { readonly outcome: 'succeeded' | 'failed'; readonly instanceId: string | null; readonly error: string | null };
    /** The key's certificate thumbprint, and every directory of the world whose key target holds it. */
    readonly key: { readonly thumbprint: string; readonly registeredIn: readonly string[] } | null;
}

export interface CustomersContext {
    readonly stack: LocalStack;
    readonly customers: readonly CustomerScenario[];
    readonly settleSeconds: number;
    readonly progress: CliStream;
    readonly signal?: AbortSignal;
}

/** Every directory of the world whose key target holds a credential of this thumbprint. */
function directoriesHolding(stack: LocalStack, thumbprint: string): string[] {
    const directories = [stack.scenario.entra.tenantId, ...(stack.scenario.provider?.customers ?? []).map((customer) => customer.tenantId)];
    return directories.filter((tenantId) => stack.cloud.graph.keyTargetCredentials(tenantId).some((credential) => credential.thumbprint.toUpperCase() === thumbprint.toUpperCase()));
}

async function onboardCustomer(client: PpoApiClient, context: CustomersContext, customer: CustomerScenario): Promise<RunView | string> {
    try {
        // No tenantId: the product discovers the customer's directory from its domain.
        const started = await client.startOnboarding(customer.domain, {
            cloud: context.stack.scenario.tenant.cloud,
            keyTarget: context.stack.scenario.entra.keyTarget,
            agent: { hybridConnection: customer.organization },
            settleSeconds: context.settleSeconds,
        });
        return await watchRun({
            fetchRun: () => client.getRun(started.instanceId),
            onUpdate: () => undefined,
            intervalMs: context.stack.clock.virtual ? 20 : 250,
            ...(context.signal === undefined ? {} : { signal: context.signal }),
        });
    } catch (error) {
        if (context.signal?.aborted === true) throw error;
        return (error as Error).message;
    }
}

function consentOf(view: TenantConsent): CustomerReport['consent'] {
    return { consented: view.consented === true, tenantId: view.tenantId, tenantIdSource: view.tenantIdSource, consentUrl: view.consentUrl ?? null };
}

/**
 * A service provider's day (issue 20): each customer's organization is enrolled through
 * POST /api/organizations, its agent configured from the answer, its consent read, and its tenant
 * onboarded, all against the one deployment; then where each key ended up.
 */
export async function enrollAndOnboardCustomers(context: CustomersContext): Promise<CustomerReport[]> {
    const { stack, progress } = context;
    const client = new PpoApiClient({ baseUrl: stack.baseUrl, accessToken: accessTokenOf(await signIn('client-secret', stack.ppoEnvironment, process.cwd(), () => undefined)) }, context.signal);
    const started: EnrolledOrganization[] = [];
    const runs: { customer: CustomerScenario; enrollment: CustomerReport['enrollment']; consent: CustomerReport['consent']; run: RunView | string }[] = [];
    try {
        for (const customer of context.customers) {
            progress.write(`\nCustomer ${customer.organization} (${customer.domain})\n  POST ${stack.baseUrl}/api/organizations {"name":"${customer.organization}"}\n`);
            const answer = await client.enrollOrganization(customer.organization);
            started.push(await startEnrolledOrganization(stack, customer, answer));
            const { namespace, hybridConnection, listenRuleName } = answer.agentConfiguration.relay;
            progress.write(`  enrolled: hybrid connection ${hybridConnection}, Listen rule ${listenRuleName}; its agent is configured from the answer\n`);
            const consent = consentOf(await client.getConsent(customer.domain));
            progress.write(`  consent in directory ${consent.tenantId ?? '?'} (${consent.tenantIdSource ?? '?'}): ${consent.consented ? 'given' : `missing, ${consent.consentUrl ?? ''}`}\n`);
            progress.write(`  POST ${stack.baseUrl}/api/tenants/${customer.domain}/onboard\n`);
            const run = await onboardCustomer(client, context, customer);
            progress.write(`  onboarding: ${typeof run === 'string' ? `refused: ${run}` : run.runtimeStatus}\n`);
            runs.push({ customer, enrollment: { namespace, hybridConnection, listenRuleName }, consent, run });
        }
    } finally {
        for (const organization of started) await organization.stop();
    }
    return runs.map(({ customer, enrollment, consent, run }) => {
        const output = typeof run === 'string' ? undefined : onboardSucceededSchema.safeParse(run.output);
        const thumbprint = output?.success === true ? output.data.certificate.thumbprint : undefined;
        return {
            organization: customer.organization,
            domain: customer.domain,
            tenantId: customer.tenantId,
            enrollment,
            consent,
            onboarding:
                typeof run === 'string'
                    ? { outcome: 'failed', instanceId: null, error: run }
                    : { outcome: thumbprint === undefined ? 'failed' : 'succeeded', instanceId: run.instanceId, error: run.error === null ? null : `${run.error.code}: ${run.error.message}` },
            key: thumbprint === undefined ? null : { thumbprint, registeredIn: directoriesHolding(stack, thumbprint) },
        };
    });
}

/** The closing lines: per customer, its onboarding and the directories holding its key. */
export function renderCustomers(reports: readonly CustomerReport[]): string[] {
    return reports.flatMap((report) => {
        const onlyOwn = report.key !== null && report.key.registeredIn.length === 1 && report.key.registeredIn[0] === report.tenantId;
        return [
            `${report.organization} (${report.domain}, directory ${report.tenantId}):`,
            `  enrollment: hybrid connection ${report.enrollment.hybridConnection} on ${report.enrollment.namespace}`,
            `  consent: ${report.consent.consented ? 'given' : `missing; the customer's administrator opens ${report.consent.consentUrl ?? '(no link)'}`}`,
            `  onboarding: ${report.onboarding.outcome}${report.onboarding.error === null ? '' : ` (${report.onboarding.error})`}`,
            report.key === null
                ? '  key: not registered'
                : `  key ${report.key.thumbprint} registered in ${report.key.registeredIn.join(', ') || 'no directory'}${onlyOwn ? ': its own directory only' : ': NOT only its own directory'}`,
        ];
    });
}

/** Succeeded only when every customer was onboarded and its key is in its own directory alone. */
export function customersSucceeded(reports: readonly CustomerReport[]): boolean {
    return reports.every((report) => report.onboarding.outcome === 'succeeded' && report.key?.registeredIn.length === 1 && report.key.registeredIn[0] === report.tenantId);
}
