import { accessTokenOf, signIn } from '../../cli/api-sign-in';
import type { Scenario } from '../scenario/schema';
import type { LocalStack } from '../stack/local-stack';
import type { CliStream } from '../../cli/cli-io';
import { buildDemoReport, type DemoReport } from './demo-report';
import type { DemoOptions } from './demo-args';
import { LiveStepView } from '../../cli/live-step-view';
import { getRun, OnboardingRefused, startOnboarding, type ApiTarget } from '../../cli/api-client';
import type { RunView } from '../../cli/run-api-schemas';
import { watchRun } from '../../cli/watch-run';
import { captureWorld, type WorldSnapshot } from './world-snapshot';

/** The onboarding request for a scenario's tenant: the body an administrator would send for that organization. */
export function onboardingRequestBody(scenario: Scenario, settleSeconds: number): Record<string, unknown> {
    return {
        tenantId: scenario.entra.tenantId,
        cloud: scenario.tenant.cloud,
        keyTarget: scenario.entra.keyTarget,
        agent: { hybridConnection: scenario.agent.hybridConnection },
        settleSeconds,
    };
}

export interface DemoRunContext {
    readonly stack: LocalStack;
    readonly scenario: Scenario;
    readonly options: DemoOptions;
    readonly progress: CliStream;
    readonly signal?: AbortSignal;
}

export interface DemoRunOutcome {
    readonly report: DemoReport;
    readonly before: WorldSnapshot;
    readonly after: WorldSnapshot;
}

/** Onboards the scenario's tenant through the HTTP API of a running stack, showing the step table as it changes. */
export async function onboardThroughApi(context: DemoRunContext): Promise<DemoRunOutcome> {
    const { stack, scenario, options, progress } = context;
    // The demo signs in as ppo does here: the automation principal's client credentials, through @azure/identity.
    const target: ApiTarget = { baseUrl: stack.baseUrl, accessToken: accessTokenOf(await signIn('client-secret', stack.ppoEnvironment, process.cwd(), () => undefined)) };
    const domain = scenario.tenant.domain;
    context.signal?.throwIfAborted();
    const before = captureWorld(stack);

    progress.write(`POST ${stack.baseUrl}/api/tenants/${domain}/onboard (settleSeconds ${options.settleSeconds})\n`);
    let run: RunView | undefined;
    let refused: OnboardingRefused | undefined;
    try {
        const instanceId = await startOnboarding(target, domain, onboardingRequestBody(scenario, options.settleSeconds));
        progress.write(`Run ${instanceId}: GET ${stack.baseUrl}/api/runs/${encodeURIComponent(instanceId)}\n\n`);
        const view = new LiveStepView(progress, { redraw: !options.verbose, now: () => stack.clock.now() });
        run = await watchRun({
            fetchRun: () => getRun(target, instanceId),
            onUpdate: (latest) => view.update(latest),
            intervalMs: stack.clock.virtual ? 20 : 250,
            ...(context.signal === undefined ? {} : { signal: context.signal }),
        });
    } catch (error) {
        if (!(error instanceof OnboardingRefused)) throw error;
        refused = error;
    }
    const after = captureWorld(stack);
    return { report: buildDemoReport({ ...(run === undefined ? {} : { run }), ...(refused === undefined ? {} : { refused }), before, after }), before, after };
}
