import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, onboard, startOnboarding } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';
import { cloudWrites, writeCommands } from './support/world-state';

const PROVIDER = '0a0a0a0a-0000-4000-8000-00000000000a';

interface ConsentView {
    readonly mode: string;
    readonly tenantId: string;
    readonly tenantIdSource: string;
    readonly consentUrl: string;
    readonly consented: boolean;
}

interface ConsentRefusal {
    readonly error: { readonly code: string; readonly consentUrl: string; readonly message: string; readonly remedy: string };
}

describe('a provider deployment onboards a customer only once its administrator consented', () => {
    let stack: LocalStack;
    afterEach(async () => stack.stop());

    const consent = (): Promise<{ status: number; body: ConsentView }> => api<ConsentView>(stack, 'GET', `tenants/${stack.scenario.tenant.domain}/consent`, undefined, 'reader');
    const expectedLink = (): string => `https://login.microsoftonline.com/${stack.scenario.entra.tenantId}/adminconsent?client_id=${stack.cloud.providerApp?.clientId}`;

    it('shows the directory discovered from the domain, the consent link, and that consent is missing', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO, { provider: { tenantId: PROVIDER, consented: false } });

        // Act
        const answer = await consent();

        // Assess
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ mode: 'multiTenant', tenantId: stack.scenario.entra.tenantId, tenantIdSource: 'discovered', consented: false, consentUrl: expectedLink() });
    });

    it('stops before any write, in Key Vault, Graph or Exchange, with the consent link', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO, { provider: { tenantId: PROVIDER, consented: false } });
        const secretsBefore = stack.cloud.keyVault.secretRequests().length;
        const credentialsBefore = stack.cloud.graph.keyTargetCredentials();

        // Act
        const refused = await startOnboarding(stack);

        // Assess
        const body = refused.body as unknown as ConsentRefusal;
        expect(refused.status).toBe(409);
        expect(body.error).toMatchObject({ code: 'consent_required', consentUrl: expectedLink() });
        expect(body.error.remedy).toContain(expectedLink());
        expect(cloudWrites(stack)).toEqual({ graphPatches: 0, keyVaultCreates: 0, pfxReads: 0 });
        expect(stack.cloud.keyVault.secretRequests().length).toBe(secretsBefore);
        expect(writeCommands(stack)).toEqual([]);
        expect(stack.cloud.graph.keyTargetCredentials()).toEqual(credentialsBefore);
    });

    it('onboards once consent is given, records the discovered directory, and registers the key in that directory', async () => {
        // Prepare
        stack = await startWorld(DEFAULT_SCENARIO, { provider: { tenantId: PROVIDER, consented: false } });
        stack.cloud.issuer.directories.consent(stack.cloud.providerApp?.clientId ?? '', stack.scenario.entra.tenantId, stack.scenario.entra.grantedRoles);
        const credentialsBefore = stack.cloud.graph.keyTargetCredentials().length;

        // Act
        const before = await consent();
        const run = await onboard(stack);
        const tenant = await api<{ tenant: { tenantId: string } }>(stack, 'GET', `tenants/${stack.scenario.tenant.domain}`);

        // Assess
        expect(before.body.consented).toBe(true);
        expect(run.runtimeStatus).toBe('Completed');
        expect(tenant.body.tenant.tenantId).toBe(stack.scenario.entra.tenantId);
        expect(stack.cloud.graph.keyTargetCredentials()).toHaveLength(credentialsBefore + 1);
        const graphTokens = stack.cloud.issuer.tokenRequests.filter((request) => request.scope === 'https://graph.microsoft.com/.default' && request.outcome === 'issued');
        expect(new Set(graphTokens.map((request) => `${request.tenant} ${request.clientId}`))).toEqual(new Set([`${stack.scenario.entra.tenantId} ${stack.cloud.providerApp?.clientId}`]));
    });
});
