import type { z } from 'zod';
import { callApi, SignInFailed, type ApiTarget } from './api-client';
import { errorBodySchema } from '../lib/contracts/api-view-schemas';
import type { OnboardRequestBody } from './onboard-request';
import type { VerifyRequestBody } from './ppo-args';
import {
    enrolledOrganizationSchema,
    fullRunViewSchema,
    removedOrganizationSchema,
    runStartedSchema,
    tenantConsentSchema,
    tenantDetailSchema,
    tenantListSchema,
    type EnrolledOrganization,
    type FullRunView,
    type RemovedOrganization,
    type RunStarted,
    type TenantConsent,
    type TenantDetail,
    type TenantList,
} from './ppo-api-schemas';

const REQUEST_TIMEOUT_MS = 60_000;

export interface FieldIssue {
    readonly field: string;
    readonly reason: string;
}

/** The API answered, but not with what was asked: a refusal (400, 404, 409), a bad key (401), or an answer ppo cannot read. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly issues: readonly FieldIssue[] = [],
        readonly statusUrl?: string,
    ) {
        super(message);
        this.name = 'ApiError';
    }
}

/** Nothing answered: wrong URL, network, DNS, or no answer in time. */
export class ApiUnreachable extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ApiUnreachable';
    }
}

function snippet(json: unknown): string {
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The error for an answer other than the expected one, from the API's error body when it sent one. */
function apiError(status: number, json: unknown, url: string): ApiError {
    const body = errorBodySchema.safeParse(json);
    if (body.success) {
        const { code, message, issues, statusUrl } = body.data.error;
        return new ApiError(status, code, message, issues ?? [], statusUrl);
    }
    if (status === 401) return new ApiError(status, 'unauthenticated', 'the API did not accept the sign-in: check PPO_API_APP_ID_URI and PPO_TENANT_ID, and --sign-in');
    if (status === 403) return new ApiError(status, 'forbidden', 'the signed-in account lacks the app role this command needs (README, "Roles")');
    if (status === 404) return new ApiError(status, 'not_found', `nothing answers at ${url}: is the API URL the Function App's (https://<app>.azurewebsites.net)?`);
    return new ApiError(status, `http_${status}`, `the API answered ${status}${json === null ? '' : `: ${snippet(json)}`}`);
}

function causeOf(error: unknown): string {
    const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    if (typeof cause?.code === 'string') return cause.code;
    if (typeof cause?.message === 'string') return cause.message;
    return error instanceof Error ? error.message : String(error);
}

/** The deployment's HTTP API, as ppo calls it. `signal` (Ctrl-C) aborts a call in flight. */
export class PpoApiClient {
    constructor(
        readonly target: ApiTarget,
        private readonly signal?: AbortSignal,
    ) {}

    private async send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, expected: number, schema: z.ZodType<T>, body?: unknown, secretAnswer = false): Promise<T> {
        const url = `${this.target.baseUrl}/api/${path}`;
        const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        const signal = this.signal === undefined ? timeout : AbortSignal.any([this.signal, timeout]);
        let answer: { status: number; json: unknown };
        try {
            answer = await callApi(this.target, method, path, body, signal);
        } catch (error) {
            if (this.signal?.aborted === true) throw error;
            if (error instanceof SignInFailed) throw new ApiUnreachable(`${error.message} (README, "How ppo signs in")`);
            if (timeout.aborted) throw new ApiUnreachable(`no answer from ${url} within ${REQUEST_TIMEOUT_MS / 1000} s`);
            throw new ApiUnreachable(`cannot reach ${url} (${causeOf(error)})`);
        }
        if (answer.status !== expected) throw apiError(answer.status, answer.json, url);
        const parsed = schema.safeParse(answer.json);
        if (!parsed.success) throw new ApiError(answer.status, 'unexpected_response', `${method} ${url} answered ${answer.status} with a body ppo does not understand${secretAnswer ? ' (not shown: it may hold secrets)' : `: ${snippet(answer.json)}`}`);
        return parsed.data;
    }

    startOnboarding(tenantDomain: string, body: OnboardRequestBody): Promise<RunStarted> {
        return this.send('POST', `tenants/${encodeURIComponent(tenantDomain)}/onboard`, 202, runStartedSchema, body);
    }

    startVerification(tenantDomain: string, body: VerifyRequestBody): Promise<RunStarted> {
        return this.send('POST', `tenants/${encodeURIComponent(tenantDomain)}/verify`, 202, runStartedSchema, body);
    }

    getRun(instanceId: string): Promise<FullRunView> {
        return this.send('GET', `runs/${encodeURIComponent(instanceId)}`, 200, fullRunViewSchema);
    }

    listTenants(): Promise<TenantList> {
        return this.send('GET', 'tenants', 200, tenantListSchema);
    }

    getTenant(tenantDomain: string): Promise<TenantDetail> {
        return this.send('GET', `tenants/${encodeURIComponent(tenantDomain)}`, 200, tenantDetailSchema);
    }

    getConsent(tenantDomain: string): Promise<TenantConsent> {
        return this.send('GET', `tenants/${encodeURIComponent(tenantDomain)}/consent`, 200, tenantConsentSchema);
    }

    /** The answer holds the agent's Listen key and shared secret: the caller shows it once, never logs it. */
    enrollOrganization(name: string): Promise<EnrolledOrganization> {
        return this.send('POST', 'organizations', 201, enrolledOrganizationSchema, { name }, true);
    }

    removeOrganization(name: string): Promise<RemovedOrganization> {
        return this.send('DELETE', `organizations/${encodeURIComponent(name)}`, 200, removedOrganizationSchema);
    }
}
