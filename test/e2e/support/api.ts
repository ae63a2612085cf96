import type { RotationReport } from '../../../lib/contracts/reverify';
import type { RunError, Step } from '../../../lib/contracts/steps';
import type { LocalCallerName } from '../../../local/identity/api-callers';
import type { LocalStack } from '../../../local/stack/local-stack';

export interface ApiResponse<T = unknown> {
    readonly status: number;
    readonly headers: Headers;
    readonly body: T;
}

/** Who calls the API in a test: a local test user by role, the automation service principal, or nobody (no token). */
export type ApiCaller = LocalCallerName | 'automation' | null;

/** Authorization headers of `caller`: a fresh token from the world's issuer, as ppo would send it. */
export function callerHeaders(stack: LocalStack, caller: ApiCaller): Record<string, string> {
    return caller === null ? {} : { authorization: `Bearer ${stack.api.tokenFor(caller)}` };
}

/** One API call, signed in as an administrator unless the test says otherwise. */
export async function api<T = unknown>(stack: LocalStack, method: string, path: string, body?: unknown, caller: ApiCaller = 'administrator'): Promise<ApiResponse<T>> {
    const response = await fetch(`${stack.baseUrl}/api/${path}`, {
        method,
        headers: { ...callerHeaders(stack, caller), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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
