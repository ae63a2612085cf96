import { CliUsageError } from '../local/cli/cli-args';
import { accessTokenOf, signIn, SIGN_IN_METHODS, type SignInEnvironment } from './api-sign-in';
import { oneOf } from './option-values';
import type { ApiTarget } from '../local/cli/onboarding-client';
import type { ConnectionOptions } from './ppo-args';

/** The environment variables ppo reads. */
export interface PpoEnvironment extends SignInEnvironment {
    readonly PPO_API_URL?: string;
    /** The default of --sign-in. */
    readonly PPO_SIGN_IN?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The app's base URL without a trailing slash or "/api" (both are common when pasting it). Plain
 * http is accepted for the local stack only: anywhere else it would send the access token in clear.
 */
export function apiBaseUrl(raw: string): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new CliUsageError(`the API URL "${raw}" is not a URL; expected e.g. https://<app>.azurewebsites.net`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliUsageError(`the API URL must be https://..., not ${url.protocol}`);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        throw new CliUsageError(`the API URL must use https: plain http would send the access token in clear (http is accepted for localhost only)`);
    }
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
        throw new CliUsageError('the API URL must not carry credentials, a query or a fragment');
    }
    const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
    return `${url.origin}${path}`;
}

/** Where to send requests and how to sign in: options first, then the environment. Never echoes a secret or a token. */
export async function resolveApiTarget(options: ConnectionOptions, env: PpoEnvironment, cwd: string, prompt: (message: string) => void): Promise<ApiTarget> {
    const rawUrl = options.apiUrl ?? env.PPO_API_URL;
    if (rawUrl === undefined || rawUrl.trim() === '') throw new CliUsageError('no API URL: pass --api-url <url> or set PPO_API_URL (e.g. https://<app>.azurewebsites.net)');
    const baseUrl = apiBaseUrl(rawUrl.trim());
    const fromEnv = env.PPO_SIGN_IN?.trim();
    const method = options.signIn ?? (fromEnv === undefined || fromEnv === '' ? 'cli' : oneOf('sign-in', fromEnv, SIGN_IN_METHODS));
    const signedIn = await signIn(method, env, cwd, prompt);
    return { baseUrl, accessToken: accessTokenOf(signedIn) };
}
