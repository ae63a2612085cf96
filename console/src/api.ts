import type { ErrorBody, RunStarted, RunView, SignedInCaller, TenantDetail, TenantList } from './api-types';

/** An answer other than 2xx, with the API's error body when it sent one. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly body: ErrorBody | undefined,
    ) {
        super(body?.error.message ?? `the API answered ${status}`);
        this.name = 'ApiError';
    }

    get remedy(): string | undefined {
        return this.body?.error.remedy;
    }
}

/** The console is served at /api/console/: the API is its parent. */
function apiUrl(path: string): string {
    return new URL(`../${path}`, window.location.href.split('#')[0]).toString();
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(apiUrl(path), {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
        parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
        parsed = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, (parsed as ErrorBody | undefined)?.error ? (parsed as ErrorBody) : undefined);
    return parsed as T;
}

export const api = {
    me: () => call<SignedInCaller>('GET', 'me'),
    tenants: () => call<TenantList>('GET', 'tenants'),
    tenant: (domain: string) => call<TenantDetail>('GET', `tenants/${encodeURIComponent(domain)}`),
    run: (instanceId: string) => call<RunView>('GET', `runs/${encodeURIComponent(instanceId)}`),
    onboard: (domain: string, body: unknown) => call<RunStarted>('POST', `tenants/${encodeURIComponent(domain)}/onboard`, body),
    verify: (domain: string, mode: 'report' | 'repair') => call<RunStarted>('POST', `tenants/${encodeURIComponent(domain)}/verify`, { mode }),
};

export function isActive(run: RunView): boolean {
    return run.runtimeStatus === 'Pending' || run.runtimeStatus === 'Running' || run.runtimeStatus === 'ContinuedAsNew';
}
