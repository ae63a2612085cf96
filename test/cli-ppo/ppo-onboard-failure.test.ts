import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { startWorld } from '../e2e/support/world';
import { ppo, type PpoResult } from './support/run-ppo';

describe('ppo onboard on an organization with a server below Exchange 2013 CU3', () => {
    let stack: LocalStack;
    let failed: PpoResult;

    beforeAll(async () => {
        stack = await startWorld(join(__dirname, '..', 'cli', 'fixtures', 'server-below-cu3.json'));
        failed = await ppo(stack, ['onboard', stack.scenario.tenant.domain, '--hybrid-connection', stack.scenario.agent.hybridConnection]);
    });

    afterAll(async () => {
        await stack?.stop();
    });

    it('exits 1 with the failed step in the step table', () => {
        expect(failed.exitCode).toBe(1);
        expect(failed.io.stdout.text).toMatch(/^✗ preflight +failed/m);
    });

    it('prints the structured error naming the server and its build, and what to do', () => {
        expect(failed.io.stdout.text).toMatch(/Onboarding failed at step preflight \(preflight_failed\): .*EX2/);
        expect(failed.io.stdout.text).toMatch(/ {2}What to do: .*CU3/);
    });

    it('changed nothing in the organization', () => {
        expect(stack.exchange.authServers()).toEqual([]);
        expect(stack.exchange.authConfig().currentThumbprint).toBeNull();
        expect(stack.cloud.keyVault.certificates()).toEqual([]);
    });
});
