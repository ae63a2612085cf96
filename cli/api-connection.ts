import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliUsageError } from './usage-error';
import type { ApiTarget } from './api-client';
import type { ConnectionOptions } from './ppo-args';

/** The environment variables ppo reads. */
export interface PpoEnvironment {
    readonly PPO_API_URL?: string;
    readonly PPO_FUNCTION_KEY?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopback(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The app's base URL without a trailing slash or "/api" (both are common when pasting it). Plain
 * http is accepted for the local stack only: anywhere else it would send the function key in clear.
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
        throw new CliUsageError(`the API URL must use https: plain http would send the function key in clear (http is accepted for localhost only)`);
    }
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
        throw new CliUsageError('the API URL must not carry credentials, a query or a fragment');
    }
    const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
    return `${url.origin}${path}`;
}

async function keyFromFile(path: string, cwd: string): Promise<string> {
    let text: string;
    try {
        text = await readFile(resolve(cwd, path), 'utf8');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new CliUsageError(`cannot read --function-key-file ${path} (${code})`);
    }
    const key = text.trim();
    if (key === '') throw new CliUsageError(`--function-key-file ${path} is empty`);
    return key;
}

/** Where to send requests and with which key: options first, then the environment. Never echoes the key. */
export async function resolveApiTarget(options: ConnectionOptions, env: PpoEnvironment, cwd: string): Promise<ApiTarget> {
    const rawUrl = options.apiUrl ?? env.PPO_API_URL;
    if (rawUrl === undefined || rawUrl.trim() === '') throw new CliUsageError('no API URL: pass --api-url <url> or set PPO_API_URL (e.g. https://<app>.azurewebsites.net)');
    const baseUrl = apiBaseUrl(rawUrl.trim());
    if (options.functionKeyFile !== undefined) return { baseUrl, functionKey: await keyFromFile(options.functionKeyFile, cwd) };
    const key = env.PPO_FUNCTION_KEY?.trim();
    if (key === undefined || key === '') throw new CliUsageError('no function key: set PPO_FUNCTION_KEY or pass --function-key-file <path> (docs/cli.md: getting the key)');
    return { baseUrl, functionKey: key };
}
