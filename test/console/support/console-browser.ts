import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..', '..');
/** Screenshots of the console's pages, kept by every run for people to look at (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

/**
 * Flags for headless Debian Chromium in a container without network: no sandbox (root), no GPU, and
 * none of the background connections (updates, sync, QUIC) that a closed network refuses.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The system Chromium npm test found or installed (scripts/test-tools/chromium.mjs). */
export function chromiumPath(): string {
    const path = process.env.PPO_TEST_CHROMIUM;
    if (!path) throw new Error('PPO_TEST_CHROMIUM is not set: run the browser tests through `npm test`, or set it to a Chromium executable (apt-get install -y chromium)');
    return path;
}

/** The console's files, built as `npm run build` builds them (incremental: unchanged sources build nothing). */
export async function buildConsole(): Promise<void> {
    const script = (await import(join(ROOT, 'scripts', 'build-console.mjs'))) as { buildConsole: () => Promise<string> };
    await script.buildConsole();
}

/** One headless browser per test file; playwright-core gives each launch a fresh profile. */
export function launchBrowser(): Promise<Browser> {
    return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** A page in a context of its own; `pageErrors` collects the exceptions its scripts leave uncaught. */
export async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
    await mkdir(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
}

/** An attribute of every element the locator finds, in document order (the tests' tsconfig has no DOM types for evaluate callbacks). */
export async function attributeOfEach(locator: Locator, name: string): Promise<(string | null)[]> {
    return Promise.all((await locator.all()).map((element) => element.getAttribute(name)));
}

/**
 * Runs in the page: each element with text whose contrast with the background behind it is below
 * WCAG 2.2 AA for normal text (4.5:1; relative luminance and contrast ratio as WCAG defines them,
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio). A string, because the tests compile without DOM types.
 */
const LOW_CONTRAST_SCRIPT = `(() => {
    const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    const luminance = (css) => { const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const opaque = (css) => !/^rgba\\(.*, 0\\)$/.test(css) && css !== 'transparent';
    const background = (element) => { for (let e = element; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (opaque(c)) return c; } return 'rgb(255, 255, 255)'; };
    const low = [];
    for (const element of document.querySelectorAll('main *, header *')) {
        const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
        if (!own) continue;
        const a = luminance(getComputedStyle(element).color), b = luminance(background(element));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) low.push(element.tagName + ' "' + element.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));
    }
    return low;
})()`;

export async function lowContrastText(page: Page): Promise<string[]> {
    return page.evaluate<string[]>(LOW_CONTRAST_SCRIPT);
}
