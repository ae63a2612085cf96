import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { onboard, type RunView } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

describe('onboarding a fresh organization (the default scenario)', () => {
    let stack: LocalStack;
    let run: RunView;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
        run = await onboard(stack);
    });

    afterAll(async () => {
        await stack.stop();
    });

    it('completes with every step succeeded or deliberately skipped', () => {
        expect(run.error).toBeNull();
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.steps.filter((s) => !['succeeded', 'skipped'].includes(s.state))).toEqual([]);
    });

    it('leaves Exchange configured as the article does', () => {
        // Prepare
        const output = run.output as { certificate: { thumbprint: string } };
        const thumbprint = output.certificate.thumbprint;

        // Assess
        expect(stack.exchange.authConfig().currentThumbprint).toBe(thumbprint);
        for (const server of ['EX1', 'EX2']) {
            expect(stack.exchange.certificatesOn(server).filter((c) => c.thumbprint === thumbprint)).toHaveLength(1);
        }
        expect(stack.exchange.authServers()).toEqual([
            expect.objectContaining({ name: 'MicrosoftSts', authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' }),
        ]);
        expect(stack.exchange.pushProxyState()).toMatchObject({ enabled: true, organization: 'contoso.com' });
        expect(['EX1', 'EX2'].map((server) => stack.exchange.missingLink(server))).toEqual([undefined, undefined]);
    });

    it('adds exactly one key credential and keeps both that were there', () => {
        // Prepare
        const credentials = stack.cloud.graph.keyTargetCredentials();

        // Assess
        expect(credentials.map((c) => c.keyId)).toEqual(expect.arrayContaining(['11111111-aaaa-4bbb-8ccc-000000000001', '11111111-aaaa-4bbb-8ccc-000000000002']));
        expect(credentials).toHaveLength(3);
    });

    it('waited the 120 s settle on the durable clock before probing', () => {
        const settle = run.steps.find((s) => s.id === 'settle');
        expect(settle?.detail).toBe('waited 120 s');
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded', attempts: 1 }, authServer: 'created', certificate: { source: 'created' } });
    });
});
