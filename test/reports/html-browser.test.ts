/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core (never a browser
 * download). The page opens from disk, shows the summary figures and the charts, its search
 * filters the sessions table, sorting works, and nothing tries the network. A screenshot is kept
 * in the temporary folder (payrule-html-report.png). Skipped, saying why, where /usr/bin/chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AS_OF, PACKS, payrule } from '../cli/run-payrule.js';
import { session, tempFolder, type TempFolder } from './support.js';

/** What the page's own code reads of a table row (these tests are typed for Node, without the DOM's types). */
interface PageRow {
    hidden: boolean;
    cells: ArrayLike<{ textContent: string | null }>;
}

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

if (!hasChromium) {
    console.warn(`html-browser.test.ts: skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it).`);
}

describe.skipIf(!hasChromium)(`html report in Chromium (${CHROMIUM})`, () => {
    let folder: TempFolder;
    let browser: Browser;
    let page: Page;
    const requests: string[] = [];
    const problems: string[] = [];

    beforeAll(async () => {
        folder = tempFolder('payrule-html-');
        const report = join(folder.path, 'report.html');
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, '--format', 'html', '-o', report, 'examples/sessions/week.csv']);
        expect(run.stderr).toBe('');
        const { chromium } = await import('playwright-core');
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('request', request => { if (!request.url().startsWith('file:')) requests.push(request.url()); });
        page.on('pageerror', error => problems.push(error.message));
        page.on('console', message => { if (message.type() === 'error') problems.push(message.text()); });
        await page.goto(pathToFileURL(report).href);
    }, 60_000);

    afterAll(async () => {
        await browser?.close();
        folder?.remove();
    });

    it('shows the verdict and the summary figures', async () => {
        await expect(page.locator('.verdict').textContent()).resolves.toMatch(/Not ready to bill: fix \d+ errors? in \d+ sessions?/);
        const figures = await page.locator('#summary-figures .figure').evaluateAll(nodes => nodes.map(node => ({
            label: node.querySelector('dt')!.textContent, value: node.querySelector('dd')!.firstChild!.textContent
        })));
        expect(figures).toEqual(expect.arrayContaining([
            { label: 'Records read', value: '65' },
            { label: 'Sessions checked', value: '65' },
            { label: 'Sessions with findings', value: '26' }
        ]));
        await expect(page.locator('#money').isVisible()).resolves.toBe(true);
        await expect(page.locator('#money dd').first().textContent()).resolves.toMatch(/^\$\d/);
    });

    it('draws the charts as SVG with bars', async () => {
        for (const id of ['chart-rule', 'chart-code', 'chart-payer', 'chart-provider', 'chart-week']) {
            const chart = page.locator(`#${id} svg`);
            await expect(chart.isVisible()).resolves.toBe(true);
            const box = await chart.boundingBox();
            expect(box!.width).toBeGreaterThan(200);
            expect(await page.locator(`#${id} svg rect`).count()).toBeGreaterThan(0);
        }
        await expect(page.locator('#chart-payer svg title').first().textContent()).resolves.toBe('Findings by payer');
    });

    it('filters the sessions table as the search is typed, and sorts by a column', async () => {
        const rows = page.locator('#session-table tbody tr');
        const visible = () => rows.evaluateAll(nodes => nodes.filter(node => !(node as PageRow).hidden).length);
        await expect(visible()).resolves.toBe(65);
        await page.fill('#search', 'S-2026-0011');
        await expect.poll(visible).toBe(1);
        await expect(page.locator('#shown').textContent()).resolves.toBe('Showing 1 of 1 matching session (65 in all)');
        await page.fill('#search', 'units-match');
        await expect.poll(visible).toBeGreaterThan(1);
        const matching = await rows.evaluateAll(nodes => nodes.filter(node => !(node as PageRow).hidden).map(node => node.textContent ?? ''));
        expect(matching.every(text => text.includes('units-match'))).toBe(true);
        await page.fill('#search', 'no such thing anywhere');
        await expect.poll(visible).toBe(0);
        await expect(page.locator('#no-match').isVisible()).resolves.toBe(true);
        await page.fill('#search', '');
        await page.check('#only-findings');
        await expect.poll(visible).toBe(26);
        await page.uncheck('#only-findings');
        await expect.poll(visible).toBe(65);

        await page.click('#session-table thead th:nth-child(4) button');
        const dates = await rows.evaluateAll(nodes => nodes.map(node => (node as PageRow).cells[3]!.textContent ?? ''));
        expect(dates).toEqual([...dates].sort());
        await expect(page.locator('#session-table thead th:nth-child(4)').getAttribute('aria-sort')).resolves.toBe('ascending');
    });

    it('lists long reports a page at a time, with more on request', async () => {
        const many = Array.from({ length: 450 }, (_, i) => session({ id: `S-${String(i).padStart(4, '0')}`, patient: `P-${i % 40}`, units: i % 3 === 0 ? 2 : 3 }));
        const input = folder.file('many.json', many);
        const report = join(folder.path, 'many.html');
        await payrule(['check', '--policy', PACKS, ...AS_OF, '--format', 'html', '-o', report, input]);
        const second = await browser.newPage();
        await second.goto(pathToFileURL(report).href);
        const visible = () => second.locator('#session-table tbody tr').evaluateAll(nodes => nodes.filter(node => !(node as PageRow).hidden).length);
        await expect(visible()).resolves.toBe(200);
        await expect(second.locator('#shown').textContent()).resolves.toBe('Showing 200 of 450 sessions');
        await second.click('#show-more');
        await expect.poll(visible).toBe(400);
        await second.click('#show-all');
        await expect.poll(visible).toBe(450);
        await expect(second.locator('#paging').isVisible()).resolves.toBe(false);
        await second.fill('#search', 'P-7 ');
        await expect.poll(() => second.locator('#shown').textContent()).toMatch(/^Showing \d+ of \d+ matching sessions \(450 in all\)$/);
        await second.close();
    });

    it('loads nothing from the network, runs without errors, and is saved as a screenshot', async () => {
        expect(requests).toEqual([]);
        expect(problems).toEqual([]);
        await page.fill('#search', '');
        await page.evaluate('window.scrollTo(0, 0)');
        // Kept after the run (the report's folder is removed) so it can be looked at.
        const shot = join(tmpdir(), 'payrule-html-report.png');
        await page.screenshot({ path: shot, fullPage: false });
        expect(existsSync(shot)).toBe(true);
        console.log(`html report screenshot: ${shot}`);
    });
});
