import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard } from '../e2e/support/api';
import { scenarioPath, startWorld } from '../e2e/support/world';

const WORLD = 'oauth-certificate-on-one-server';

/**
 * Issue 15, finding 4: the cloud believed any inventory, so whoever holds an agent's configuration
 * could answer as the agent and get their own certificate registered on the Exchange Online service
 * principal. The world's OAuth certificate on premises stands for the one such an inventory offers:
 * it is not on the key target yet.
 */
describe('an on-premises certificate is registered only when the request confirmed its thumbprint', () => {
    describe('without confirmation', () => {
        let stack: LocalStack;
        let offered: string;

        beforeAll(async () => {
            stack = await startWorld(scenarioPath(WORLD));
            offered = stack.exchange.thumbprintOf('oauth');
        });

        afterAll(async () => {
            await stack.stop();
        });

        it('shows in the dry run the thumbprint to confirm, and writes nothing', async () => {
            // Act
            const run = await onboard(stack, { dryRun: true });

            // Assess
            expect(run.runtimeStatus).toBe('Completed');
            expect((run.output as { plannedChanges: string[] }).plannedChanges.join('\n')).toContain(`certificate.confirmThumbprint "${offered}"`);
            expect(stack.cloud.graph.patchBodies()).toEqual([]);
        });

        it.each([
            { request: 'no thumbprint', body: {} },
            { request: 'the thumbprint of another certificate', body: { certificate: { confirmThumbprint: 'A'.repeat(40) } } },
        ])('signs with a Key Vault certificate for $request, and never registers the offered one', async ({ body }) => {
            // Act
            const run = await onboard(stack, body);

            // Assess
            const certificate = (run.output as { certificate: { thumbprint: string; source: string } }).certificate;
            expect(run.runtimeStatus).toBe('Completed');
            expect(certificate.thumbprint).not.toBe(offered);
            expect(stack.cloud.keyVault.certificates().length).toBe(1);
            expect(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)).not.toContain(offered);
        });
    });

    describe('with the thumbprint confirmed', () => {
        let stack: LocalStack;

        beforeAll(async () => {
            stack = await startWorld(scenarioPath(WORLD));
        });

        afterAll(async () => {
            await stack.stop();
        });

        it('reuses and registers the on-premises certificate (thumbprint in any case)', async () => {
            // Prepare
            const offered = stack.exchange.thumbprintOf('oauth');

            // Act
            const run = await onboard(stack, { certificate: { confirmThumbprint: offered.toLowerCase() } });

            // Assess
            expect(run.output).toMatchObject({ certificate: { source: 'reused', thumbprint: offered } });
            expect(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)).toContain(offered);
        });
    });
});
