import type { Scenario } from '../scenario/schema';

export interface RunningStackFacts {
    readonly baseUrl: string;
    readonly scenario: Scenario;
    /** How ppo signs in here (LocalStack.ppoEnvironment). */
    readonly ppoEnvironment: Readonly<Record<string, string>>;
    /** The local test users the sign-in page lists. */
    readonly api: { readonly users: readonly { readonly upn: string; readonly roles: readonly string[] }[] };
}

/** What `npm start` prints once the stack is up: where the console and the API are, how to sign in, and how to onboard the scenario's tenant. */
export function startBanner(facts: RunningStackFacts): string[] {
    const { baseUrl, scenario, ppoEnvironment, api } = facts;
    const domain = scenario.tenant.domain;
    const exports = Object.entries(ppoEnvironment).map(([name, value]) => `${name}=${value}`);
    return [
        `Local stack for scenario "${scenario.name}" is running.`,
        `  Console            ${baseUrl}/api/console/   (sign in as a local test user: reader@, operator@ or admin@${domain})`,
        `  API base URL       ${baseUrl}/api`,
        `  Sign in (browser)  ${baseUrl}/.auth/login/aad   (local App Service authentication)`,
        ...api.users.map((user) => `    ${user.upn.padEnd(28)} ${user.roles.length === 0 ? 'no app role' : user.roles.join(', ')}`),
        `  Tenant             ${domain} (${scenario.tenant.cloud} cloud)`,
        `  Hybrid connection  ${scenario.agent.hybridConnection}`,
        '',
        'ppo, signed in as the local automation service principal (PushProxy.Administrator; local and throwaway):',
        `  export ${exports.join(' ')}`,
        `  npx ppo onboard ${domain} --hybrid-connection ${scenario.agent.hybridConnection}`,
        '',
        'Press Ctrl+C to stop.',
    ];
}
