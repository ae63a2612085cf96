import fc from 'fast-check';
import { METHODS } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE } from '../../functions/http/api-routes';
import { MemoryLogSink } from '../../lib/logger';
import type { LocalStack } from '../../local/stack/local-stack';
import { callerHeaders } from '../e2e/support/api';
import { answerOf, expectApiError, expectValidationError } from './support/api-assertions';
import { forgedPrincipalHeaders } from './support/forged-principal';
import { startOnboardedWorld } from './support/onboarded-world';
import {
    anyContentType,
    anyInstanceId,
    anyQuery,
    decodeBody,
    encodeSegment,
    expectedRefusal,
    HYBRID_CONNECTION,
    hostileDomain,
    hostileOnboardBody,
    isDotSegment,
    malformedPercentSegment,
    type SegmentEncoding,
} from './support/http-arbitraries';
import { propertyRuns } from './support/property-runs';
import { rawRequest, type RawResponse } from './support/raw-http';
import { expectNoSideEffects, sideEffects } from './support/side-effects';

const DOMAIN_SEED = 0xd0a1;
const MALFORMED_PERCENT_SEED = 0x25e9;
const INSTANCE_ID_SEED = 0x1d5;
const METHOD_SEED = 0x3e7d;

const VALID_ONBOARD_BODY = Buffer.from(JSON.stringify({ agent: { hybridConnection: HYBRID_CONNECTION }, dryRun: true }));
const VALID_VERIFY_BODY = Buffer.from(JSON.stringify({ mode: 'repair' }));
/** The documented rule for run ids (README, GET /api/runs/{instanceId}). */
const RUN_ID_SHAPE = /^[A-Za-z0-9._:-]{1,100}$/;

/** Methods Node's HTTP parser knows (CONNECT aside: it opens a tunnel, not a request), plus some it refuses itself. */
const SOME_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'SEARCH', 'PURGE', 'REPORT', 'MERGE', 'QUERY', 'FOO', 'BREW', 'GETS', 'POSTX'] as const;

interface RouteCase {
    readonly method: 'GET' | 'POST';
    readonly path: string;
    readonly anonymous: boolean;
    readonly validBody?: Buffer;
    /** Whether the contract accepts this body here (GET routes ignore bodies; hostile onboarding bodies are invalid by construction). */
    readonly acceptsBody: (body: Buffer | undefined) => boolean;
}

/** The contract of POST .../verify: no body, or an object with at most `mode`, "report" or "repair". */
function isVerifyBody(body: Buffer | undefined): boolean {
    const text = body === undefined ? '' : decodeBody(body);
    if (text.trim() === '') return true;
    try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const entries = Object.entries(value);
        return entries.every(([key, mode]) => key === 'mode' && (mode === 'report' || mode === 'repair'));
    } catch {
        return false;
    }
}

/** What the request carries to say who it is: only an administrator's token from the tenant's issuer is a credential. */
type CredentialUse = 'administrator' | 'none' | 'garbageBearer' | 'emptyBearer' | 'forgedPrincipal' | 'functionKey';
type BodyChoice = { readonly kind: 'valid' } | { readonly kind: 'none' } | { readonly kind: 'hostile'; readonly bytes: Buffer };

interface DomainRoute {
    readonly method: 'GET' | 'POST';
    readonly path: (segment: string) => string;
    readonly body?: Buffer;
}

/** The three routes that take a tenant domain, each with a body that would be accepted for a valid domain. */
const DOMAIN_ROUTES: readonly DomainRoute[] = [
    { method: 'POST', path: (segment) => `/api/tenants/${segment}/onboard`, body: VALID_ONBOARD_BODY },
    { method: 'POST', path: (segment) => `/api/tenants/${segment}/verify`, body: VALID_VERIFY_BODY },
    { method: 'GET', path: (segment) => `/api/tenants/${segment}` },
];

/**
 * Hostile path segments, methods, keys and content types against one running world whose tenant
 * is onboarded: the bodies sent along would start a run if the path were let through.
 */
describe('hostile paths, methods and headers on the HTTP API', () => {
    const logs = new MemoryLogSink();
    let stack: LocalStack;

    beforeAll(async () => {
        stack = await startOnboardedWorld(logs.sink);
    });

    afterAll(async () => {
        await stack.stop();
    });

    function send(method: string, path: string, body: Buffer | undefined, headers: Record<string, string> = callerHeaders(stack, 'administrator')): Promise<RawResponse> {
        return rawRequest(stack.baseUrl, { method, path, headers, ...(body === undefined ? {} : { body }) });
    }

    it('refuses every tenant domain that is not a DNS name with a 400 naming tenantDomain, on every route, and starts nothing', async () => {
        // Prepare
        const before = await sideEffects(stack, logs.records);
        const encoding = fc.constantFrom<SegmentEncoding>('percent', 'raw');

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(hostileDomain(), encoding, fc.constantFrom(...DOMAIN_ROUTES), anyQuery(), async (domain, how, route, query) => {
                const segment = encodeSegment(domain, how);
                fc.pre(!isDotSegment(segment));
                const response = await expectNoSideEffects(stack, logs.records, () => send(route.method, `${route.path(segment)}${query}`, route.body));
                expectValidationError(response, 'tenantDomain');
            }),
            propertyRuns(DOMAIN_SEED, 300),
        );

        // Assess: once the host has nothing left to do, still nothing ran
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it('refuses a tenant domain with broken percent-encoding with a 400 naming tenantDomain, not a 5xx', async () => {
        // Prepare
        const before = await sideEffects(stack, logs.records);

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(malformedPercentSegment(), fc.constantFrom(...DOMAIN_ROUTES), async (segment, route) => {
                const response = await expectNoSideEffects(stack, logs.records, () => send(route.method, route.path(segment), route.body));
                expectValidationError(response, 'tenantDomain');
            }),
            propertyRuns(MALFORMED_PERCENT_SEED, 150),
        );

        // Assess
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it('answers any run id with a 400 naming instanceId or a 404, never a 5xx, and starts nothing', async () => {
        // Prepare
        const before = await sideEffects(stack, logs.records);
        const known = new Set(Object.keys(before.executions));
        const encoding = fc.constantFrom<SegmentEncoding>('percent', 'raw');

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(anyInstanceId(), encoding, async (instanceId, how) => {
                const segment = encodeSegment(instanceId, how);
                // A tenant's run id names its tenant's run whatever the domain's case or trailing dot.
                fc.pre(!isDotSegment(segment) && !known.has(instanceId.toLowerCase().replace(/\.$/, '')));
                const response = await expectNoSideEffects(stack, logs.records, () => send('GET', `/api/runs/${segment}`, undefined));
                const wellFormed = RUN_ID_SHAPE.test(instanceId);
                const error = expectApiError(response, wellFormed ? 404 : 400);
                expect({ code: error.code, fields: error.issues?.map((issue) => issue.field) ?? [] }).toEqual(wellFormed ? { code: 'not_found', fields: [] } : { code: 'validation', fields: ['instanceId'] });
            }),
            propertyRuns(INSTANCE_ID_SEED, 250),
        );

        // Assess
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it('answers a wrong method, a missing or false credential, or a bad body with a 4xx, whatever the content type, and starts nothing', async () => {
        // Prepare
        const before = await sideEffects(stack, logs.records);
        const domain = stack.scenario.tenant.domain;
        const routes: readonly RouteCase[] = [
            { method: 'POST', path: `/api/tenants/${domain}/onboard`, anonymous: false, validBody: VALID_ONBOARD_BODY, acceptsBody: (body) => body === VALID_ONBOARD_BODY },
            { method: 'POST', path: `/api/tenants/${domain}/verify`, anonymous: false, validBody: VALID_VERIFY_BODY, acceptsBody: isVerifyBody },
            { method: 'GET', path: '/api/tenants', anonymous: false, acceptsBody: () => true },
            { method: 'GET', path: `/api/tenants/${domain}`, anonymous: false, acceptsBody: () => true },
            { method: 'GET', path: `/api/runs/tenant-${domain}`, anonymous: false, acceptsBody: () => true },
            { method: 'GET', path: '/api/openapi.json', anonymous: true, acceptsBody: () => true },
        ];
        const credentialUse = fc.constantFrom<CredentialUse>('administrator', 'none', 'garbageBearer', 'emptyBearer', 'forgedPrincipal', 'functionKey');
        const wrongKey = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });
        const bodyChoice = fc.oneof(
            fc.constant<BodyChoice>({ kind: 'valid' }),
            fc.constant<BodyChoice>({ kind: 'none' }),
            hostileOnboardBody().map<BodyChoice>((hostile) => ({ kind: 'hostile', bytes: hostile.bytes })),
        );
        // The route's own method often enough that keys and bodies get tested, any other method the rest of the time.
        const routeAndMethod = fc.constantFrom(...routes).chain((route) =>
            fc.tuple(fc.constant(route), fc.oneof({ weight: 2, arbitrary: fc.constant<string>(route.method) }, { weight: 3, arbitrary: fc.constantFrom<string>(...SOME_METHODS) })),
        );

        // Act and Assess: each request in turn
        await fc.assert(
            fc.asyncProperty(routeAndMethod, credentialUse, wrongKey, bodyChoice, anyContentType(), async ([route, method], credential, wrong, choice, contentType) => {
                const body = choice.kind === 'valid' ? route.validBody : choice.kind === 'hostile' ? choice.bytes : undefined;
                const signedIn = route.anonymous || credential === 'administrator';
                fc.pre(!(method === route.method && signedIn && route.acceptsBody(body)));
                const headers: Record<string, string> = {
                    ...(contentType === undefined ? {} : { 'content-type': contentType }),
                    ...(credential === 'administrator' ? callerHeaders(stack, 'administrator') : {}),
                    ...(credential === 'garbageBearer' ? { authorization: `Bearer ${wrong}` } : {}),
                    ...(credential === 'emptyBearer' ? { authorization: 'Bearer ' } : {}),
                    ...(credential === 'forgedPrincipal' ? forgedPrincipalHeaders('PushProxy.Administrator') : {}),
                    ...(credential === 'functionKey' ? { 'x-functions-key': stack.functionKey } : {}),
                };
                const response = await expectNoSideEffects(stack, logs.records, () => send(method, route.path, body, headers));
                // Node's parser refuses an unknown method first; then App Service authenticates before the Functions host routes (the public path is excluded).
                const unauthenticated = method === 'HEAD' ? 'host 401' : 'app 401 unauthenticated'; // a HEAD answer has no body
                // A wrong method falls through to the catch-all route, which answers 405 for the methods it takes; the host answers 404 to the rest.
                const wrongMethod = !(UNMATCHED_ROUTE.methods as readonly string[]).includes(method) ? 'host 404' : method === 'HEAD' ? 'host 405' : 'app 405 method_not_allowed';
                const expected = !METHODS.includes(method) ? 'host 400' : !signedIn ? unauthenticated : method !== route.method ? wrongMethod : expectedRefusal(body, contentType);
                expect(answerOf(response)).toBe(expected);
            }),
            propertyRuns(METHOD_SEED, 250),
        );

        // Assess
        await stack.host.whenIdle();
        expect(await sideEffects(stack, logs.records)).toEqual(before);
    });

    it.each([
        ['POST', '/api/tenants/../onboard', 404],
        ['POST', '/api/tenants/%2e%2e/onboard', 404],
        // Moved onto GET /api/tenants/{tenantDomain}, with "onboard" as the domain: a wrong method there.
        ['POST', '/api/tenants/./onboard', 405],
        ['POST', '/api/tenants/.%2E/verify', 404],
        ['POST', '/api/tenants/contoso.com/../onboard', 405],
        ['POST', '//api/tenants/contoso.com/onboard', 404],
        ['POST', '/api//tenants/contoso.com/onboard', 404],
        ['POST', '/api/tenants//contoso.com/onboard', 404],
        ['POST', '/api/tenants/contoso.com//onboard', 404],
        ['POST', '/api/tenants/contoso.com/onboard;x', 404],
        ['POST', '*', 404],
        ['GET', '/api/tenants/..', 404],
        ['GET', '/api/runs/..', 404],
        ['GET', '/api/runs/%2E', 404],
    ])('answers %s %s, which URL parsing moves off the route it names, with %i and starts nothing', async (method, path, status) => {
        // Prepare
        const body = method === 'POST' ? VALID_ONBOARD_BODY : undefined;

        // Act
        const response = await expectNoSideEffects(stack, logs.records, () => send(method, path, body));

        // Assess
        expect(response.status).toBe(status);
    });

    it('answers a body over the host\'s 16 MiB limit with 413, not 5xx, and starts nothing', async () => {
        // Prepare
        const body = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);

        // Act
        const response = await expectNoSideEffects(stack, logs.records, () => send('POST', `/api/tenants/${stack.scenario.tenant.domain}/onboard`, body));

        // Assess
        expect(response.status).toBe(413);
    });
});
