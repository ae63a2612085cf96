import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startFixtureHost, type FixtureHost } from './support/fixture-host';

describe('HTTP triggers on 127.0.0.1', () => {
    let fixture: FixtureHost;
    let api: string;

    beforeAll(async () => {
        fixture = await startFixtureHost();
        api = `${fixture.host.baseUrl}/api`;
    });
    afterAll(async () => fixture.host.stop());

    it('listens on 127.0.0.1 at the port it reports', () => {
        // Assess
        expect(fixture.host.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it('passes route parameters and the query to the handler and returns its JSON body', async () => {
        // Act
        const response = await fetch(`${api}/hello/Ana%20Maria?lang=pt`);

        // Assess
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('application/json');
        expect(await response.json()).toEqual({ greeting: 'Hello, Ana Maria', lang: 'pt' });
    });

    it('gives the handler method, catch-all route value, headers, query and JSON body, and returns status and cookies', async () => {
        // Act
        const response = await fetch(`${api}/echo/a/b/c?x=1&x=2`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-custom': 'custom-value' },
            body: JSON.stringify({ hello: 'world' }),
        });

        // Assess
        expect(response.status).toBe(201);
        expect(response.headers.get('set-cookie')).toBe('session=abc; Path=/; HttpOnly');
        expect(await response.json()).toEqual({
            method: 'PUT',
            rest: 'a/b/c',
            body: { hello: 'world' },
            header: 'custom-value',
            query: { x: '1,2' },
            url: `${api}/echo/a/b/c?x=1&x=2`,
        });
    });

    it.each([
        ['an unknown route', 'GET', '/nowhere'],
        ['a method the route does not allow', 'DELETE', '/hello/ana'],
        ['a value that breaks the route constraint', 'GET', '/items/abc'],
    ])('answers 404 for %s', async (_label, method, path) => {
        // Act
        const response = await fetch(`${api}${path}`, { method, headers: { 'x-functions-key': 'test-function-key' } });

        // Assess
        expect(response.status).toBe(404);
    });

    it.each([
        ['no key', {}, ''],
        ['a wrong header key', { 'x-functions-key': 'wrong' }, ''],
        ['a wrong code', {}, '?code=wrong'],
    ])('refuses a function-level route with %s (401)', async (_label, headers: Record<string, string>, query) => {
        // Act
        const response = await fetch(`${api}/items/7${query}`, { headers });

        // Assess
        expect(response.status).toBe(401);
    });

    it.each([
        ['the x-functions-key header', { 'x-functions-key': 'test-function-key' }, ''],
        ['the code query parameter', {}, '?code=test-function-key'],
    ])('opens a function-level route with %s and returns text and headers', async (_label, headers: Record<string, string>, query) => {
        // Act
        const response = await fetch(`${api}/items/7${query}`, { headers });

        // Assess
        expect(response.status).toBe(200);
        expect(response.headers.get('x-item-id')).toBe('7');
        expect(await response.text()).toBe('item 7');
    });

    it('answers 500 when the handler throws and logs the failure', async () => {
        // Act
        const response = await postJson(`${api}/broken`);

        // Assess
        expect(response.status).toBe(500);
        expect(fixture.logs.records.some((record) => record.level === 'error' && record.message.includes('handler broke'))).toBe(true);
    });
});
