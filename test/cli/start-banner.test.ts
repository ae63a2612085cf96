import { describe, expect, it } from 'vitest';
import { startBanner } from '../../local/cli/start-banner';
import { defaultScenarioPath } from '../../local/cli/cli-args';
import { loadScenarioFile } from '../../local/scenario/schema';

describe('startBanner', () => {
    it('shows where the console and the API are, the local sign-in page with its users and roles, the tenant, and how ppo signs in and onboards', async () => {
        // Prepare
        const scenario = await loadScenarioFile(defaultScenarioPath());
        const users = [
            { upn: 'reader@contoso.com', roles: ['PushProxy.Reader'] },
            { upn: 'nobody@contoso.com', roles: [] },
        ];

        // Act
        const lines = startBanner({ baseUrl: 'http://127.0.0.1:7071', scenario, ppoEnvironment: { PPO_API_URL: 'http://127.0.0.1:7071', PPO_SIGN_IN: 'client-secret' }, api: { users } });

        // Assess
        expect(lines).toEqual([
            'Local stack for scenario "default" is running.',
            '  Console            http://127.0.0.1:7071/api/console/   (sign in as a local test user: reader@, operator@ or admin@contoso.com)',
            '  API base URL       http://127.0.0.1:7071/api',
            '  Sign in (browser)  http://127.0.0.1:7071/.auth/login/aad   (local App Service authentication)',
            '    reader@contoso.com           PushProxy.Reader',
            '    nobody@contoso.com           no app role',
            '  Tenant             contoso.com (global cloud)',
            '  Hybrid connection  contoso-exchange',
            '',
            'ppo, signed in as the local automation service principal (PushProxy.Administrator; local and throwaway):',
            '  export PPO_API_URL=http://127.0.0.1:7071 PPO_SIGN_IN=client-secret',
            '  npx ppo onboard contoso.com --hybrid-connection contoso-exchange',
            '',
            'Press Ctrl+C to stop.',
        ]);
    });
});
