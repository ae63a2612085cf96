import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogSink } from '../../lib/logger';
import type { OnboardTenantInput } from '../../lib/contracts/onboarding';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, waitForRun } from '../e2e/support/api';
import { startWorld } from '../e2e/support/world';
import { expectValidationError } from './support/api-assertions';
import { rawRequest } from './support/raw-http';
import { expectNoSideEffects } from './support/side-effects';

const HYBRID_APPLICATION_WORLD = join(__dirname, '..', 'faults', 'scenarios', 'hybrid-application.json');

/**
 * Issue 15, finding 1: any application of the directory could be made a key target. The world has
 * a dedicated Exchange hybrid application that its administrator has not listed in
 * PPO_KEY_TARGET_APP_IDS: neither the API nor a run started another way may write a key to it.
 */
describe('key targets are an allowlist', () => {
    const logs = new MemoryLogSink();
    let stack: LocalStack;
    let unlistedAppId: string;

    beforeAll(async () => {
        stack = await startWorld(HYBRID_APPLICATION_WORLD, { logSink: logs.sink, appSettings: { PPO_KEY_TARGET_APP_IDS: '' } });
        const target = stack.scenario.entra.keyTarget;
        if (target.kind !== 'application') throw new Error('the hybrid application world lost its application');
        unlistedAppId = target.appId;
    });

    afterAll(async () => {
        await stack.stop();
    });

    it('refuses onboarding onto an application the administrator did not list with a 400 naming body.keyTarget.appId, and writes nothing', async () => {
        // Prepare
        const body = Buffer.from(JSON.stringify({ agent: { hybridConnection: stack.scenario.agent.hybridConnection }, keyTarget: { kind: 'application', appId: unlistedAppId } }));

        // Act
        const response = await expectNoSideEffects(stack, logs.records, () =>
            rawRequest(stack.baseUrl, {
                method: 'POST',
                path: `/api/tenants/${stack.scenario.tenant.domain}/onboard`,
                headers: { 'x-functions-key': stack.functionKey, 'content-type': 'application/json' },
                body,
            }),
        );

        // Assess
        expectValidationError(response, 'body.keyTarget.appId');
        expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ error: { remedy: expect.stringContaining('PPO_KEY_TARGET_APP_IDS') as string } });
        expect(stack.cloud.graph.patchBodies()).toEqual([]);
    });

    it('fails a run started past the API (the durable API) with key_target_not_allowed before any Graph call', async () => {
        // Prepare
        const tenantDomain = stack.scenario.tenant.domain;
        const input: OnboardTenantInput = {
            runId: 'attack-run',
            tenantDomain,
            authMetadataUrl: `https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=${tenantDomain}`,
            pushNotificationUri: 'https://outlook.office365.com/PushNotifications',
            cloud: 'global',
            keyTarget: { kind: 'application', appId: unlistedAppId },
            hybridConnection: stack.scenario.agent.hybridConnection,
            certificate: { validityMonths: 24, keySize: 2048 },
            settleSeconds: 0,
            probeAttempts: 1,
            reverifyMode: 'report',
            dryRun: false,
            renewalWindowDays: 60,
            requestedBy: { id: 'attacker', name: 'a holder of the system key' },
        };
        const graphCallsBefore = stack.cloud.graph.requests.length;

        // Act
        const started = await fetch(`${stack.baseUrl}/runtime/webhooks/durabletask/orchestrators/onboardTenant/attack-instance`, {
            method: 'POST',
            headers: { 'x-functions-key': stack.functionKey, 'content-type': 'application/json' },
            body: JSON.stringify(input),
        });
        expect(started.status).toBe(202);
        const run = await waitForRun(stack, 'attack-instance');

        // Assess
        expect({ status: run.runtimeStatus, code: run.error?.code }).toEqual({ status: 'Failed', code: 'key_target_not_allowed' });
        expect(stack.cloud.graph.requests.slice(graphCallsBefore).map((r) => `${r.method} ${r.path}`)).toEqual([]);
        expect(stack.cloud.graph.patchBodies()).toEqual([]);
        expect((await api(stack, 'GET', `tenants/${tenantDomain}`)).status).toBe(404);
    });
});
