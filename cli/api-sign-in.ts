import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AzureCliCredential, ClientSecretCredential, DeviceCodeCredential, InteractiveBrowserCredential, type TokenCredential, type TokenCredentialOptions } from '@azure/identity';
import { CliUsageError } from '../local/cli/cli-args';

/** How ppo signs in to Microsoft Entra ID for the API (--sign-in). */
export const SIGN_IN_METHODS = ['cli', 'device-code', 'browser', 'client-secret'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** The environment variables the sign-in reads (values `azd env get-values` prints after provisioning). */
export interface SignInEnvironment {
    /** The API's application ID URI (api://<client id>); ppo asks for `<URI>/.default`. */
    readonly PPO_API_APP_ID_URI?: string;
    /** The Entra tenant of the deployment (device code, browser, client secret; Azure CLI uses its signed-in tenant otherwise). */
    readonly PPO_TENANT_ID?: string;
    /** The app ppo signs in as: a public client for device code and browser, a confidential one for client secret. */
    readonly PPO_CLIENT_ID?: string;
    /** client-secret only: the secret (automation; the local stack prints its own). Never a command-line option. */
    readonly PPO_CLIENT_SECRET?: string;
    /** Another cloud's login host (https://login.microsoftonline.us), or the local stack's issuer. */
    readonly PPO_AUTHORITY_HOST?: string;
    /** A PEM file of a CA to trust for the sign-in only (the local stack's issuer). */
    readonly PPO_EXTRA_CA_FILE?: string;
}

export interface SignIn {
    readonly credential: TokenCredential;
    /** `<API app id URI>/.default`: the app roles assigned to the caller come in the token's roles claim. */
    readonly scope: string;
}

function required(env: SignInEnvironment, name: keyof SignInEnvironment, method: SignInMethod): string {
    const value = env[name]?.trim();
    if (value === undefined || value === '') throw new CliUsageError(`--sign-in ${method} needs ${name} (azd env get-values prints it; README, "How ppo signs in")`);
    return value;
}

async function clientOptions(env: SignInEnvironment, cwd: string): Promise<TokenCredentialOptions & { disableInstanceDiscovery?: boolean }> {
    const authorityHost = env.PPO_AUTHORITY_HOST?.trim();
    const caFile = env.PPO_EXTRA_CA_FILE?.trim();
    let ca: string | undefined;
    if (caFile !== undefined && caFile !== '') {
        try {
            ca = await readFile(resolve(cwd, caFile), 'utf8');
        } catch (error) {
            throw new CliUsageError(`cannot read PPO_EXTRA_CA_FILE ${caFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
    }
    return {
        ...(authorityHost === undefined || authorityHost === '' ? {} : { authorityHost, disableInstanceDiscovery: true }),
        ...(ca === undefined ? {} : { tlsOptions: { ca } }),
    };
}

/**
 * The @azure/identity credential for `method`: the Azure CLI's signed-in account (`az login`), a
 * device code (sign in on another device), the system browser, or a service principal's client
 * secret (automation, and the local stack's automation principal). Never a function key.
 */
export async function signIn(method: SignInMethod, env: SignInEnvironment, cwd: string, prompt: (message: string) => void): Promise<SignIn> {
    const appIdUri = required(env, 'PPO_API_APP_ID_URI', method).replace(/\/+$/, '');
    const scope = `${appIdUri}/.default`;
    const options = await clientOptions(env, cwd);
    const tenantId = env.PPO_TENANT_ID?.trim();
    switch (method) {
        case 'cli':
            return { scope, credential: new AzureCliCredential(tenantId === undefined || tenantId === '' ? {} : { tenantId }) };
        case 'device-code':
            return {
                scope,
                credential: new DeviceCodeCredential({
                    ...options,
                    tenantId: required(env, 'PPO_TENANT_ID', method),
                    clientId: required(env, 'PPO_CLIENT_ID', method),
                    userPromptCallback: (info) => prompt(info.message),
                }),
            };
        case 'browser':
            return { scope, credential: new InteractiveBrowserCredential({ ...options, tenantId: required(env, 'PPO_TENANT_ID', method), clientId: required(env, 'PPO_CLIENT_ID', method) }) };
        case 'client-secret':
            return {
                scope,
                credential: new ClientSecretCredential(required(env, 'PPO_TENANT_ID', method), required(env, 'PPO_CLIENT_ID', method), required(env, 'PPO_CLIENT_SECRET', method), options),
            };
    }
}

/** A token for the API, asked of the credential before each call (it caches and renews); the reason it failed otherwise, without the token. */
export function accessTokenOf(signedIn: SignIn, signal?: AbortSignal): () => Promise<string> {
    return async () => {
        const token = await signedIn.credential.getToken(signedIn.scope, signal === undefined ? {} : { abortSignal: signal });
        if (token === null) throw new Error(`no token for ${signedIn.scope}`);
        return token.token;
    };
}
