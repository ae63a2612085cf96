import type { RotationReport } from '../../../lib/contracts/reverify';
import type { RunError, Step } from '../../../lib/contracts/steps';
import type { LocalStack } from '../../../local/stack/local-stack';

export interface ApiResponse<T = unknown> {
    readonly status: number;
    readonly headers: Headers;
    readonly body: T;
}

export async function api<T = unknown>(stack: LocalStack, method: string, path: string, body?: unknown, functionKey: string | null = stack.functionKey): Promise<ApiResponse<T>> {
    const response = await fetch(`${stack.baseUrl}/api/${path}`, {
        method,
        headers: { ...(functionKey === null ? {} : { 'x-functions-key': functionKey }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? null : JSON.parse(text)) as T };
}

export interface RunView {
    readonly instanceId: string;
    readonly runtimeStatus: string;
    readonly steps: readonly Step[];
    readonly error: RunError | null;
    readonly output: Record<string, unknown> | null;
}

export interface RunStarted {
    readonly instanceId: string;
    readonly runId: string;
    readonly tenantDomain: string;
    readonly statusUrl: string;
}

/** POST /api/tenants/{domain}/onboard with the scenario's agent; answers as it comes. */
export function startOnboarding(stack: LocalStack, request: Record<string, unknown> = {}): Promise<ApiResponse<RunStarted>> {
    return api<RunStarted>(stack, 'POST', `tenants/${stack.scenario.tenant.domain}/onboard`, {
        agent: { hybridConnection: stack.scenario.agent.hybridConnection },
        ...request,
    });
}

/** Starts onboarding over HTTP and waits (on the virtual clock) until the run ends. */
export async function onboard(stack: LocalStack, request: Record<string, unknown> = {}): Promise<RunView> {
    const started = await startOnboarding(stack, request);
    if (started.status !== 202) throw new Error(`onboard answered ${started.status}: ${JSON.stringify(started.body)}`);
    return waitForRun(stack, started.body.instanceId);
}

export async function waitForRun(stack: LocalStack, instanceId: string): Promise<RunView> {
    for (;;) {
        await stack.host.whenIdle();
        const run = await api<RunView>(stack, 'GET', `runs/${encodeURIComponent(instanceId)}`);
        if (!['Pending', 'Running'].includes(run.body.runtimeStatus)) return run.body;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** Starts re-verification over HTTP and waits until the run ends. */
export async function verify(stack: LocalStack, mode?: 'report' | 'repair'): Promise<RunView> {
    const started = await api<{ instanceId: string }>(stack, 'POST', `tenants/${stack.scenario.tenant.domain}/verify`, mode === undefined ? {} : { mode });
    if (started.status !== 202) throw new Error(`verify answered ${started.status}: ${JSON.stringify(started.body)}`);
    return waitForRun(stack, started.body.instanceId);
}

export interface VerifyOutput {
    readonly outcome: string;
    readonly checks: readonly { id: string; state: string; detail: string }[];
    readonly rotation: RotationReport | null;
}

export function checkStates(run: RunView): Record<string, string> {
    const output = run.output as unknown as VerifyOutput;
    return Object.fromEntries(output.checks.map((c) => [c.id, c.state]));
}
