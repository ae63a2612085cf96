import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, RedirectRefused } from '../../local/cli/onboarding-client';

function listen(server: Server): Promise<string> {
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/**
 * Issue 15, finding 6: ppo and the demo client followed a redirect and sent their credential (then the function key) to the
 * new location. Two real servers on loopback: the "API" redirects, the "attacker" records headers.
 */
describe('no credential crosses a redirect', () => {
    const received: IncomingHttpHeaders[] = [];
    const attacker = createServer((request, response) => {
        received.push(request.headers);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"tenants":[]}');
    });
    let attackerUrl = '';
    let redirectStatus = 307;
    const api = createServer((request, response) => {
        response.writeHead(redirectStatus, { location: `${attackerUrl}${request.url ?? '/'}` }).end();
    });
    let apiUrl = '';

    beforeAll(async () => {
        attackerUrl = await listen(attacker);
        apiUrl = await listen(api);
    });

    afterAll(async () => {
        await Promise.all([new Promise((resolve) => attacker.close(resolve)), new Promise((resolve) => api.close(resolve))]);
    });

    it.each([301, 302, 303, 307, 308])('refuses a %i redirect without sending the access token to its location', async (status) => {
        // Prepare
        redirectStatus = status;
        received.length = 0;

        // Act
        const call = callApi({ baseUrl: apiUrl, accessToken: () => Promise.resolve('the-access-token') }, 'GET', 'tenants');

        // Assess
        await expect(call).rejects.toBeInstanceOf(RedirectRefused);
        expect(received).toEqual([]);
    });
});
