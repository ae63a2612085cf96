import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { startTinyproxy, type RunningTinyproxy } from '../support/tinyproxy';
import { onboard, type RunView } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

describe('onboarding the default scenario with the agent behind an HTTP CONNECT proxy (tinyproxy, Basic authentication)', () => {
    let tinyproxy: RunningTinyproxy;
    let stack: LocalStack;
    let run: RunView;

    beforeAll(async () => {
        tinyproxy = await startTinyproxy({ basicAuth: { user: 'svc-ppo-agent', password: 'corp-proxy-pass-1' } });
        stack = await startWorld(DEFAULT_SCENARIO, { agentProxy: tinyproxy.policy });
        run = await onboard(stack);
    });

    afterAll(async () => {
        await stack.stop();
        await tinyproxy.stop();
    });

    it('completes with every step succeeded or deliberately skipped', () => {
        expect(run.error).toBeNull();
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.steps.filter((s) => !['succeeded', 'skipped'].includes(s.state))).toEqual([]);
        expect(stack.exchange.pushProxyState()).toMatchObject({ enabled: true, organization: 'contoso.com' });
    });

    it('reached the relay only through the proxy', () => {
        const tunnels = tinyproxy.tunnels();
        expect(tunnels.length).toBeGreaterThanOrEqual(1);
        expect(new Set(tunnels)).toEqual(new Set([stack.relay.namespace]));
    });
});
