import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogSink } from '../../lib/logger';
import type { LocalStack } from '../../local/stack/local-stack';
import { expectValidationError } from './support/api-assertions';
import { startOnboardedWorld } from './support/onboarded-world';
import { anyContentType, hostileOnboardBody, hostileVerifyBody, type HostileBody } from './support/http-arbitraries';
import { propertyRuns } from './support/property-runs';
import { rawRequest } from './support/raw-http';
import { expectNoSideEffects, sideEffects } from './support/side-effects';

/** Seeds of this file's properties: a failure prints its seed and path; these replay it. */
const ONBOARD_BODIES_SEED = 0x0b0d1e5;
const VERIFY_BODIES_SEED = 0x5e71f1;

/**
 * Hostile request bodies against one running world whose tenant is already onboarded, so that a
 * body slipping through validation would visibly start a run (a new execution of the tenant's
 * instance) and, later, Exchange commands.
 */
describe('hostile request bodies on the HTTP API', () => {
    const logs = new MemoryLogSink();
    let stack: LocalStack;

    beforeAll(async () => {
        stack = await startOnboardedWorld(logs.sink);
    });

    afterAll(async () => {
        await stack.stop();
    });

    function post(path: string, body: HostileBody, contentType: string | undefined) {
        return rawRequest(stack.baseUrl, {
            method: 'POST',
            path,
            headers: { 'x-functions-key': stack.functionKey, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
            body: body.bytes,
        });
    }

    it('refuses every onboarding body that breaks the contract with a 400 naming the field, and starts nothing', async () => {
        // Prepare
        const path = `/api/tenants/${stack.scenario.tenant.domain}/onboard`;
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(hostileOnboardBody(), anyContentType(), async (body, contentType) => {
                const response = await expectNoSideEffects(stack, logs.records, () => post(path, body, contentType));
                expectValidationError(response, body.field);
            }),
            propertyRuns(ONBOARD_BODIES_SEED, 300),
        );

        // Assess: once the host has nothing left to do, still nothing ran
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it('refuses every verification body that breaks the contract with a 400 naming the field, and starts nothing', async () => {
        // Prepare
        const path = `/api/tenants/${stack.scenario.tenant.domain}/verify`;
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(hostileVerifyBody(), anyContentType(), async (body, contentType) => {
                const response = await expectNoSideEffects(stack, logs.records, () => post(path, body, contentType));
                expectValidationError(response, body.field);
            }),
            propertyRuns(VERIFY_BODIES_SEED, 200),
        );

        // Assess: once the host has nothing left to do, still nothing ran
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });
});
