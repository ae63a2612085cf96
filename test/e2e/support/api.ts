import type { LocalStack } from '../../../local/stack/local-stack';

export interface ApiResponse<T = unknown> {
    readonly status: number;
    readonly headers: Headers;
    readonly body: T;
}

export async function api<T = unknown>(stack: LocalStack, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const response = await fetch(`${stack.baseUrl}/api/${path}`, {
        method,
        headers: { 'x-functions-key': stack.functionKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? null : JSON.parse(text)) as T };
}

export interface RunView {
    readonly instanceId: string;
    readonly runtimeStatus: string;
    readonly steps: readonly { id: string; state: string; detail?: string }[];
    readonly error: { step: string; code: string; message: string; remedy?: string } | null;
    readonly output: Record<string, unknown> | null;
}

/** Starts onboarding over HTTP and waits (on the virtual clock) until the run ends. */
export async function onboard(stack: LocalStack, request: Record<string, unknown> = {}): Promise<RunView> {
    const started = await api<{ instanceId: string; statusUrl: string }>(stack, 'POST', `tenants/${stack.scenario.tenant.domain}/onboard`, {
        agent: { hybridConnection: stack.scenario.agent.hybridConnection },
        ...request,
    });
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
