import type { Scenario } from '../scenario/schema';
import type { LocalStack } from '../stack/local-stack';
import type { CliStream } from './cli-io';
import { buildDemoReport, type DemoReport } from './demo-report';
import type { DemoOptions } from './demo-args';
import { LiveStepView } from './live-step-view';
import { getRun, onboardingRequestBody, OnboardingRefused, startOnboarding, type ApiTarget } from './onboarding-client';
import type { RunView } from './run-api-schemas';
import { watchRun } from './watch-run';
import { captureWorld, type WorldSnapshot } from './world-snapshot';

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
    const target: ApiTarget = { baseUrl: stack.baseUrl, accessToken: () => Promise.resolve(stack.api.tokenFor('automation')) };
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
