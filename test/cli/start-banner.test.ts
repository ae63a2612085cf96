import { describe, expect, it } from 'vitest';
import { startBanner } from '../../local/cli/start-banner';
import { defaultScenarioPath } from '../../local/cli/cli-args';
import { loadScenarioFile } from '../../local/scenario/schema';

describe('startBanner', () => {
    it('shows where the console and the API are, its key, the tenant, and curl commands to onboard and follow the run', async () => {
        // Prepare
        const scenario = await loadScenarioFile(defaultScenarioPath());

        // Act
        const lines = startBanner({ baseUrl: 'http://127.0.0.1:7071', functionKey: 'k3y', scenario });

        // Assess
        expect(lines).toEqual([
            'Local stack for scenario "default" is running.',
            '  Console            http://127.0.0.1:7071/api/console/   (sign in as a local test user: reader@, operator@ or admin@contoso.com)',
            '  API base URL       http://127.0.0.1:7071/api',
            '  Function key       k3y   (header x-functions-key; local and throwaway)',
            '  Tenant             contoso.com (global cloud)',
            '  Hybrid connection  contoso-exchange',
            '',
            'Onboard the tenant:',
            `  curl -i -X POST "http://127.0.0.1:7071/api/tenants/contoso.com/onboard" -H "x-functions-key: k3y" -H "content-type: application/json" -d '{"agent":{"hybridConnection":"contoso-exchange"}}'`,
            'Follow the run (the statusUrl of the answer):',
            '  curl -s "http://127.0.0.1:7071/api/runs/<instanceId>" -H "x-functions-key: k3y"',
            '',
            'Press Ctrl+C to stop.',
        ]);
    });
});
