import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogSink } from '../../lib/logger';
import { callerHeaders } from '../e2e/support/api';
import type { LocalStack } from '../../local/stack/local-stack';
import { expectApiError, expectValidationError } from './support/api-assertions';
import { startOnboardedWorld } from './support/onboarded-world';
import { BODY_LIMIT_BYTES, HYBRID_CONNECTION, hostileOnboardBody, hostileVerifyBody, jsonContentType, nonJsonContentType, type HostileBody } from './support/http-arbitraries';
import { propertyRuns } from './support/property-runs';
import { rawRequest } from './support/raw-http';
import { expectNoSideEffects, sideEffects } from './support/side-effects';

/** Seeds of this file's properties: a failure prints its seed and path; these replay it. */
const ONBOARD_BODIES_SEED = 0x0b0d1e5;
const VERIFY_BODIES_SEED = 0x5e71f1;
const CONTENT_TYPES_SEED = 0xc0a7e47;

/** A JSON body over the limit is refused as too large (413, the limit named), any other refused body names its field in a 400. */
function expectRefusal(response: Parameters<typeof expectValidationError>[0], body: HostileBody): void {
    if (body.bytes.length <= BODY_LIMIT_BYTES) {
        expectValidationError(response, body.field);
        return;
    }
    const error = expectApiError(response, 413);
    expect({ code: error.code, fields: error.issues?.map((i) => i.field), message: error.message }).toEqual({
        code: 'payload_too_large',
        fields: ['body'],
        message: expect.stringContaining(String(BODY_LIMIT_BYTES)) as string,
    });
}

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
            headers: { ...callerHeaders(stack, 'administrator'), ...(contentType === undefined ? {} : { 'content-type': contentType }) },
            body: body.bytes,
        });
    }

    it('refuses every onboarding body that breaks the contract with a 400 naming the field (413 naming the limit when too large), and starts nothing', async () => {
        // Prepare
        const path = `/api/tenants/${stack.scenario.tenant.domain}/onboard`;
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(hostileOnboardBody(), jsonContentType(), async (body, contentType) => {
                const response = await expectNoSideEffects(stack, logs.records, () => post(path, body, contentType));
                expectRefusal(response, body);
            }),
            propertyRuns(ONBOARD_BODIES_SEED, 300),
        );

        // Assess: once the host has nothing left to do, still nothing ran
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it('refuses every verification body that breaks the contract with a 400 naming the field (413 naming the limit when too large), and starts nothing', async () => {
        // Prepare
        const path = `/api/tenants/${stack.scenario.tenant.domain}/verify`;
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(hostileVerifyBody(), jsonContentType(), async (body, contentType) => {
                const response = await expectNoSideEffects(stack, logs.records, () => post(path, body, contentType));
                expectRefusal(response, body);
            }),
            propertyRuns(VERIFY_BODIES_SEED, 200),
        );

        // Assess: once the host has nothing left to do, still nothing ran
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it.each([
        ['onboarding', 'onboard', { agent: { hybridConnection: HYBRID_CONNECTION } }],
        ['verification', 'verify', { mode: 'repair' }],
    ])('refuses a valid %s body not sent as JSON (text/plain, form, XML, multipart, none...) with 415 naming content-type, and starts nothing', async (_name, route, valid) => {
        // Prepare
        const path = `/api/tenants/${stack.scenario.tenant.domain}/${route}`;
        const body: HostileBody = { label: 'valid', bytes: Buffer.from(JSON.stringify(valid)), field: 'content-type' };
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(nonJsonContentType(), async (contentType) => {
                const response = await expectNoSideEffects(stack, logs.records, () => post(path, body, contentType));
                const error = expectApiError(response, 415);
                expect({ code: error.code, fields: error.issues?.map((i) => i.field) }).toEqual({ code: 'unsupported_media_type', fields: ['content-type'] });
            }),
            propertyRuns(CONTENT_TYPES_SEED, 60),
        );

        // Assess
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });
});
