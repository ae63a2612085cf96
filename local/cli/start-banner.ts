import type { Scenario } from '../scenario/schema';

export interface RunningStackFacts {
    readonly baseUrl: string;
    readonly functionKey: string;
    readonly scenario: Scenario;
}

/** What `npm start` prints once the stack is up: where the console and the API are, its key, and how to onboard the scenario's tenant. */
export function startBanner(facts: RunningStackFacts): string[] {
    const { baseUrl, functionKey, scenario } = facts;
    const domain = scenario.tenant.domain;
    const body = JSON.stringify({ agent: { hybridConnection: scenario.agent.hybridConnection } });
    return [
        `Local stack for scenario "${scenario.name}" is running.`,
        `  Console            ${baseUrl}/api/console/   (sign in as a local test user: reader@, operator@ or admin@${domain})`,
        `  API base URL       ${baseUrl}/api`,
        `  Function key       ${functionKey}   (header x-functions-key; local and throwaway)`,
        `  Tenant             ${domain} (${scenario.tenant.cloud} cloud)`,
        `  Hybrid connection  ${scenario.agent.hybridConnection}`,
        '',
        'Onboard the tenant:',
        `  curl -i -X POST "${baseUrl}/api/tenants/${domain}/onboard" -H "x-functions-key: ${functionKey}" -H "content-type: application/json" -d '${body}'`,
        'Follow the run (the statusUrl of the answer):',
        `  curl -s "${baseUrl}/api/runs/<instanceId>" -H "x-functions-key: ${functionKey}"`,
        '',
        'Press Ctrl+C to stop.',
    ];
}
