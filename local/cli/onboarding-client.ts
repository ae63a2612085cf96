import type { Scenario } from '../scenario/schema';
import { errorBodySchema } from '../../lib/contracts/api-view-schemas';
import { onboardAcceptedSchema, runViewSchema, type RunView } from './run-api-schemas';

export interface ApiTarget {
    readonly baseUrl: string;
    /** A Microsoft Entra ID access token for the API, asked for before each call so that the credential renews it when it expires. */
    readonly accessToken: () => Promise<string>;
}

/** The API refused to start the run (400, 409...): the demo reports it as a failed onboarding. */
export class OnboardingRefused extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = 'OnboardingRefused';
    }
}

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

/** JSON when the body is JSON; the raw text otherwise (a proxy's HTML error page, say). */
function parseBody(text: string): unknown {
    if (text === '') return null;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/** No token for the API: the credential failed (wrong tenant or client, no az login, the sign-in was cancelled); nothing was sent. */
export class SignInFailed extends Error {
    constructor(cause: unknown) {
        super(`could not sign in for the API: ${cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.name) : String(cause)}`, { cause });
        this.name = 'SignInFailed';
    }
}

/** The API answered a redirect: the token is not sent again, to wherever it points. */
export class RedirectRefused extends Error {
    constructor(
        readonly status: number,
        readonly location: string | null,
    ) {
        super(`The API answered ${status} redirecting to ${location ?? '(no Location)'}; the access token is not sent across a redirect. Use the API's own address.`);
        this.name = 'RedirectRefused';
    }
}

/**
 * One call to the app's HTTP API with the caller's bearer token; the demo and the administrator's CLI
 * (cli/ppo.ts) both go through it. Redirects are not followed: fetch strips Authorization only on a
 * cross-origin redirect (https://fetch.spec.whatwg.org/#http-redirect-fetch) and forwards every
 * other header, so a same-origin redirect, or a future header, would still reach wherever it points
 * (issue 15, finding 6).
 */
export async function callApi(target: ApiTarget, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<{ status: number; json: unknown }> {
    let token: string;
    try {
        token = await target.accessToken();
    } catch (error) {
        throw new SignInFailed(error);
    }
    const response = await fetch(`${target.baseUrl}/api/${path}`, {
        method,
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
    });
    if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new RedirectRefused(response.status, response.headers.get('location'));
    }
    return { status: response.status, json: parseBody(await response.text()) };
}

/** POST /api/tenants/{tenantDomain}/onboard; the instance id of the started run. */
export async function startOnboarding(target: ApiTarget, tenantDomain: string, body: Record<string, unknown>): Promise<string> {
    const { status, json } = await callApi(target, 'POST', `tenants/${encodeURIComponent(tenantDomain)}/onboard`, body);
    if (status === 202) return onboardAcceptedSchema.parse(json).instanceId;
    const error = errorBodySchema.safeParse(json);
    throw error.success
        ? new OnboardingRefused(status, error.data.error.code, error.data.error.message)
        : new OnboardingRefused(status, `http_${status}`, `the API answered ${status}: ${JSON.stringify(json)}`);
}

/** GET /api/runs/{instanceId}. */
export async function getRun(target: ApiTarget, instanceId: string): Promise<RunView> {
    const { status, json } = await callApi(target, 'GET', `runs/${encodeURIComponent(instanceId)}`);
    if (status !== 200) throw new Error(`GET /api/runs/${instanceId} answered ${status}: ${JSON.stringify(json)}`);
    return runViewSchema.parse(json);
}

export function isRunning(run: RunView): boolean {
    return ['Pending', 'Running', 'ContinuedAsNew'].includes(run.runtimeStatus);
}
