import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, waitForRun, type ApiResponse } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';

interface StartAnswer {
    readonly instanceId?: string;
    readonly error?: { readonly code: string; readonly message: string };
}

const CONCURRENT = 12;

/** Every answer as "status code", the 202s as "202 started": one line per request, for one comparison. */
function answers(responses: readonly ApiResponse<StartAnswer>[]): string[] {
    return responses.map((r) => `${r.status} ${r.body?.error?.code ?? (r.body?.instanceId === undefined ? 'no JSON body' : 'started')}`).sort();
}

describe('starting runs for one tenant at the same moment', () => {
    let stack: LocalStack;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
    });

    afterAll(async () => {
        await stack.stop();
    });

    const agent = () => ({ agent: { hybridConnection: stack.scenario.agent.hybridConnection } });

    it(`answers ${CONCURRENT} simultaneous onboardings of a new tenant with exactly one 202 and a JSON 409 for each other`, async () => {
        // Act
        const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => api<StartAnswer>(stack, 'POST', 'tenants/contoso.com/onboard', agent())));
        const started = responses.find((r) => r.status === 202);
        const run = await waitForRun(stack, started?.body.instanceId ?? 'tenant-contoso.com');

        // Assess
        expect(answers(responses)).toEqual(['202 started', ...Array.from({ length: CONCURRENT - 1 }, () => '409 run_in_progress')]);
        expect(run.runtimeStatus).toBe('Completed');
        expect(stack.host.store.get('tenant-contoso.com')?.runtimeStatus).toBe('Completed');
    });

    it('answers onboardings and verifications racing for an onboarded tenant with exactly one 202', async () => {
        // Act
        const responses = await Promise.all(
            Array.from({ length: CONCURRENT }, (_, index) =>
                index % 2 === 0 ? api<StartAnswer>(stack, 'POST', 'tenants/contoso.com/verify', {}) : api<StartAnswer>(stack, 'POST', 'tenants/CONTOSO.com/onboard', agent()),
            ),
        );
        const started = responses.find((r) => r.status === 202);
        const run = await waitForRun(stack, started?.body.instanceId ?? 'tenant-contoso.com');

        // Assess
        expect(answers(responses)).toEqual(['202 started', ...Array.from({ length: CONCURRENT - 1 }, () => '409 run_in_progress')]);
        expect(run.runtimeStatus).toBe('Completed');
    });

    it('starts the next run once the one that held the tenant has ended', async () => {
        // Act
        const next = await api<StartAnswer>(stack, 'POST', 'tenants/contoso.com/verify', {});
        const run = await waitForRun(stack, next.body.instanceId ?? 'tenant-contoso.com');

        // Assess
        expect(next.status).toBe(202);
        expect(run.runtimeStatus).toBe('Completed');
    });
});
