import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VirtualClock } from '../../local/clock';
import type { LocalStack } from '../../local/stack/local-stack';
import { api, callerHeaders, waitForRun, type RunView } from '../e2e/support/api';
import { DEFAULT_SCENARIO, startWorld } from '../e2e/support/world';
import { attributeOfEach, buildConsole, launchBrowser, lowContrastText, newPage, screenshot } from './support/console-browser';
import { OTHER_TENANTS, recordOtherTenants } from './support/tenant-world';

const CONTOSO = 'contoso.com';

/**
 * The operator's console in headless Chromium against one local world: the default scenario's
 * organization (contoso.com), onboarded from the console, beside other tenants the registry already
 * holds. The tests run in order: each continues from the world the previous one left.
 */
describe("the operator's console in a browser", () => {
    // The world's clock starts at the browser's now, so that expiries read the same on both sides.
    const clock = new VirtualClock(Date.now());
    let stack: LocalStack;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let pageErrors: string[];
    let consoleUrl: string;

    beforeAll(async () => {
        const [world, launched] = await Promise.all([startWorld(DEFAULT_SCENARIO, { clock }), launchBrowser(), buildConsole()]);
        stack = world;
        browser = launched;
        await recordOtherTenants(stack, clock.now());
        ({ context, page, pageErrors } = await newPage(browser));
        consoleUrl = `${stack.baseUrl}/api/console/`;
    }, 120_000);

    afterAll(async () => {
        await context?.close();
        await browser?.close();
        await stack?.stop();
    });

    it('serves the page and its files with their content types, cache headers and a content security policy', async () => {
        // Act
        const pageResponse = await fetch(consoleUrl);
        const html = await pageResponse.text();
        const script = /src="([^"]+)"/.exec(html)?.[1] ?? '';
        const scriptResponse = await fetch(new URL(script, consoleUrl));
        const otherVersion = await fetch(new URL('app.js?v=0', consoleUrl));
        const bare = await fetch(`${stack.baseUrl}/api/console`, { redirect: 'manual' });
        // Signed in, so that App Service authentication lets a path it does not exclude reach the function.
        const unknown = await fetch(`${consoleUrl}..%2F..%2Fpackage.json`, { headers: callerHeaders(stack, 'reader') });
        const unknownAnonymous = await fetch(`${consoleUrl}..%2F..%2Fpackage.json`);

        // Assess
        expect(pageResponse.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(pageResponse.headers.get('cache-control')).toBe('no-cache');
        expect(pageResponse.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(scriptResponse.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(scriptResponse.headers.get('cache-control')).toContain('immutable');
        expect(otherVersion.headers.get('cache-control')).toBe('no-cache');
        expect(bare.status).toBe(301);
        expect(bare.headers.get('location')).toBe('/api/console/');
        expect(unknown.status).toBe(404);
        expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
        expect(unknownAnonymous.status).toBe(401);
    });

    it.each([
        { who: 'reader', roles: 'PushProxy.Reader', heading: OTHER_TENANTS.drifted, actions: [] },
        { who: 'operator', roles: 'PushProxy.Operator', heading: OTHER_TENANTS.drifted, actions: ['Onboard a tenant', 'Verify (report only)', 'Verify and repair'] },
        { who: 'admin', roles: 'PushProxy.Administrator', heading: OTHER_TENANTS.drifted, actions: ['Onboard a tenant', 'Verify (report only)', 'Verify and repair'] },
        { who: 'nobody', roles: 'no role', heading: 'No app role', actions: [] },
    ])('signs in $who through App Service authentication, whose token store is off as on Azure, and offers the actions of $roles', async ({ who, roles, heading, actions }) => {
        // Prepare
        const { context: own, page: signingIn } = await newPage(browser);

        // Act
        await signingIn.goto(`${consoleUrl}#/tenants/${OTHER_TENANTS.drifted}`);
        await signingIn.getByRole('link', { name: 'sign in with Microsoft Entra ID' }).click();
        await signingIn.getByRole('button', { name: `${who}@${CONTOSO}` }).click();
        await signingIn.getByRole('heading', { level: 1, name: heading }).waitFor();
        const signedInAs = await signingIn.locator('.who').textContent();
        const offered = await signingIn.getByRole('link', { name: 'Onboard a tenant' }).or(signingIn.getByRole('button', { name: /^Verify/ })).allTextContents();
        // The same session asks App Service for /.auth/me, as the console once did.
        const authMe = await own.request.get(`${stack.baseUrl}/.auth/me`);
        if (who === 'operator') await screenshot(signingIn, 'tenant-signed-in');
        await own.close();

        // Assess
        expect(authMe.status()).toBe(404);
        expect(signedInAs).toContain(`Signed in as ${who}@${CONTOSO} (${roles})`);
        expect(offered).toEqual(actions);
    });

    it('onboards a tenant: the dry-run plan first, then the confirmed run watched live from start to finish', async () => {
        // Prepare: an operator signed in; durable timers wait until the test lets them fire, so the run is seen in progress.
        await page.goto(`${stack.baseUrl}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent('/api/console/#/onboard')}`);
        await page.getByRole('button', { name: `operator@${CONTOSO}` }).click();
        clock.setAutoAdvance(false);

        // Act: the plan
        await page.getByLabel('Tenant domain').fill(CONTOSO);
        await page.getByLabel("Hybrid connection of the organization's agent").fill(stack.scenario.agent.hybridConnection);
        await page.getByRole('button', { name: 'Show the plan (dry run)' }).click();
        const confirm = page.getByRole('button', { name: `Confirm and onboard ${CONTOSO}` });
        await confirm.waitFor();

        // Assess: nothing written yet, the plan is on the page
        await screenshot(page, 'onboard-plan');
        expect(await page.locator('ul.planned-changes li').count()).toBeGreaterThan(0);
        expect(await page.locator('table.plan tr[data-step="registerKey"] td').first().textContent()).toBe('run');
        expect((await api<{ tenant: unknown }>(stack, 'GET', `tenants/${CONTOSO}`)).body.tenant).toBeNull();

        // Act: confirm; the run stops at its first durable timer
        await confirm.click();
        const running = page.locator('table.steps tr[data-state="running"]');
        await running.first().waitFor();
        await screenshot(page, 'onboard-running');
        const succeededWhileRunning = await page.locator('table.steps tr[data-state="succeeded"]').count();
        clock.setAutoAdvance(true);
        await page.locator('.run-status .badge', { hasText: 'Completed' }).waitFor({ timeout: 60_000 });

        // Assess
        await screenshot(page, 'onboard-completed');
        const states = await attributeOfEach(page.locator('table.steps tbody tr'), 'data-state');
        expect(succeededWhileRunning).toBeLessThan(states.length);
        expect(states.every((s) => s === 'succeeded' || s === 'skipped')).toBe(true);
        expect(states.filter((s) => s === 'succeeded').length).toBeGreaterThan(succeededWhileRunning);
        expect((await api<{ tenant: { certificate: { thumbprint: string } } }>(stack, 'GET', `tenants/${CONTOSO}`)).status).toBe(200);
    });

    it('lists every tenant and, filtered, only those that need attention: drifted, failed, expiring', async () => {
        // Act
        await page.goto(`${consoleUrl}#/`);
        const rows = page.locator('table.tenants tbody tr');
        await rows.first().waitFor();
        const all = await attributeOfEach(rows, 'data-tenant');
        await screenshot(page, 'tenants');
        await page.getByLabel(/Needs attention only/).check();
        const needing = await attributeOfEach(rows, 'data-tenant');
        await screenshot(page, 'tenants-needing-attention');

        // Assess
        expect([...all].sort()).toEqual([CONTOSO, ...Object.values(OTHER_TENANTS)].sort());
        expect([...needing].sort()).toEqual([OTHER_TENANTS.drifted, OTHER_TENANTS.expiring, OTHER_TENANTS.failed].sort());
        const drifted = page.locator(`tr[data-tenant="${OTHER_TENANTS.drifted}"]`);
        expect(await drifted.locator('td').last().textContent()).toBe('drifted');
        expect(await drifted.locator('ul.checks li', { hasText: 'keyCredential' }).textContent()).toContain('drifted');
        expect(await page.locator(`tr[data-tenant="${OTHER_TENANTS.failed}"] td`).last().textContent()).toBe('last verification failed');
        expect(await page.locator(`tr[data-tenant="${OTHER_TENANTS.expiring}"] td`).last().textContent()).toBe('certificate expiring');
    });

    it('is usable with the keyboard alone: skip link, the filter, a tenant', async () => {
        // Prepare: a fresh load
        await page.goto('about:blank');
        await page.goto(`${consoleUrl}#/`);
        await page.locator('table.tenants tbody tr').first().waitFor();

        // Act
        await page.keyboard.press('Tab');
        const skipFocused = await page.locator('a.skip:focus').count();
        await page.keyboard.press('Enter');
        const mainFocused = await page.locator('main:focus').count();
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space');
        const shown = await attributeOfEach(page.locator('table.tenants tbody tr'), 'data-tenant');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: shown[0] ?? '' }).waitFor();

        // Assess
        expect([skipFocused, mainFocused]).toEqual([1, 1]);
        expect(shown).toHaveLength(3);
        expect(page.url()).toContain(`#/tenants/${shown[0] ?? ''}`);
    });

    it('shows the upcoming expiries and rotations of every tenant, soonest first', async () => {
        // Act
        await page.getByRole('link', { name: 'Expiries and rotations' }).click();
        const items = page.locator('ol.timeline li');
        await items.first().waitFor();
        const tenants = await attributeOfEach(items, 'data-tenant');
        const kinds = await attributeOfEach(items, 'data-kind');
        const order = tenants.map((tenant, i) => `${tenant}:${kinds[i]}`);
        await screenshot(page, 'timeline');

        // Assess
        expect(order).toHaveLength(2 * (1 + Object.keys(OTHER_TENANTS).length));
        expect(order.slice(0, 2)).toEqual([`${OTHER_TENANTS.expiring}:rotation`, `${OTHER_TENANTS.expiring}:expiry`]);
        const dates = await attributeOfEach(items.locator('time'), 'datetime');
        expect(dates).toEqual([...dates].sort());
    });

    it('reports a drift and repairs it from the tenant page', async () => {
        // Prepare: someone deletes the product's key credential in Entra ID
        const thumbprint = (await api<{ tenant: { certificate: { thumbprint: string } } }>(stack, 'GET', `tenants/${CONTOSO}`)).body.tenant.certificate.thumbprint;
        const productKey = () => stack.cloud.graph.keyTargetCredentials().filter((c) => c.thumbprint === thumbprint);
        stack.cloud.graph.deleteKeyCredential(productKey()[0]?.keyId ?? '');
        await page.goto(`${consoleUrl}#/tenants/${CONTOSO}`);
        const keyCheck = page.locator('table.checks-table tr[data-check="keyCredential"] .badge');

        // Act: report
        await page.getByRole('button', { name: 'Verify (report only)' }).click();
        await keyCheck.filter({ hasText: 'drifted' }).waitFor({ timeout: 60_000 });
        await screenshot(page, 'tenant-drifted');

        // Act: repair
        await page.getByRole('button', { name: 'Verify and repair' }).click();
        await keyCheck.filter({ hasText: 'repaired' }).waitFor({ timeout: 60_000 });
        await screenshot(page, 'tenant-repaired');

        // Assess
        const run = await waitForRun(stack, `tenant-${CONTOSO}`);
        expect((run.output as RunView['output'] & { outcome: string }).outcome).toBe('repaired');
        expect(productKey()).toHaveLength(1);
        const history = await page.locator('table.history tbody tr td .badge').allTextContents();
        expect(history.slice(0, 2)).toEqual(['repaired', 'drifted']);
    });

    it.each(['#/', '#/timeline', `#/tenants/${CONTOSO}`, '#/onboard'])('keeps every text of %s at WCAG AA contrast', async (fragment) => {
        // Prepare
        await page.goto(`${consoleUrl}${fragment}`);
        await page.locator('main h1').waitFor();
        await page.locator('main table, main ol, main form').first().waitFor();

        // Act
        const low = await lowContrastText(page);

        // Assess
        expect(low).toEqual([]);
    });

    it('shows the error and remedy of a failed step in the run page', async () => {
        // Prepare: a run for a tenant whose agent is not this world's fails at its first step
        const started = await api<{ instanceId: string }>(stack, 'POST', `tenants/${OTHER_TENANTS.healthy}/verify`, { mode: 'report' });
        await waitForRun(stack, started.body.instanceId);

        // Act
        await page.goto(`${consoleUrl}#/runs/${started.body.instanceId}`);
        const alert = page.getByRole('alert');
        await alert.waitFor();
        await screenshot(page, 'run-failed');

        // Assess
        expect(await page.locator('table.steps tr[data-state="failed"]').count()).toBeGreaterThan(0);
        expect(await alert.textContent()).toMatch(/failed/);
        expect(pageErrors).toEqual([]);
    });
});
