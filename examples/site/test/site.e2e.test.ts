/**
 * The example site as a reader sees it: the content API (over a copy of the bundled content,
 * watched, with a preview token) and the built site (a small static server), driven in headless
 * Chromium. Screenshots go to examples/site/test/screenshots/ (gitignored).
 *
 * The bundled content has the site's title and jekyll-feed (`_config.yml`) and its main menu
 * (`_data/navigation.yml`); the copy adds test/content-overlay/: a page with an include, which
 * the bundled content has none of.
 */
import chromium from '@sparticuz/chromium';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/build-app.ts';
import { bundledContent } from '../../../test/helpers/app.ts';

const TOKEN = 'example-site-preview-token-0123456789';
const siteDist = fileURLToPath(new URL('../dist/', import.meta.url));
const overlay = fileURLToPath(new URL('content-overlay/', import.meta.url));
const screenshots = fileURLToPath(new URL('screenshots/', import.meta.url));

/** Headless, no sandbox (CI runs as root), and no call home of any kind (as test/docs.e2e.test.ts). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** Serves the built site: its files, /site-config.json, and index.html for every other path (client-side routes). */
function staticSite(config: object): Server {
  return createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://site').pathname;
    if (pathname === '/site-config.json')
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    const file = path.join(siteDist, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
    const body = await readFile(file).catch(() => null);
    if (body && pathname !== '/')
      return void response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    response.writeHead(200, { 'content-type': 'text/html' }).end(await readFile(path.join(siteDist, 'index.html')));
  });
}

let work: string;
let contentDir: string;
let api: FastifyInstance;
let site: Server;
let siteUrl: string;
let browser: Browser;
let page: Page;
const failures: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'example-site-'));
  contentDir = path.join(work, 'content');
  await cp(bundledContent, contentDir, { recursive: true });
  await cp(overlay, contentDir, { recursive: true });
  api = await buildApp({ contentDir, previewToken: TOKEN, watch: true, searchBudgetMs: 60_000, searchRankingMsPerSecond: 60_000 });
  const apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
  site = staticSite({ apiUrl, previewToken: TOKEN });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const address = site.address();
  siteUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await mkdir(screenshots, { recursive: true });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (error) => failures.push(error.message));
  // Nothing but the site and the API: no font, script or image from elsewhere.
  await page.route('**/*', (route) => {
    const origin = new URL(route.request().url()).origin;
    if (origin === siteUrl || origin === apiUrl) return route.continue();
    failures.push(`requested ${route.request().url()}`);
    return route.abort();
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await api?.close();
  await rm(work, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

describe('examples/site', () => {
  it('renders the home page with the site menu, title and feed link', async () => {
    await page.goto(siteUrl);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Welcome to pyOpenSci');
    expect(await page.locator('.site-title').textContent()).toBe('pyOpenSci');
    expect(await page.locator('nav.menu > ul > li').allTextContents()).toEqual([
      'Peer Review',
      'Packages',
      'CommunityContributorsResources',
    ]);
    expect(await page.locator('a.feed').getAttribute('href')).toMatch(/\/feed\.xml$/);
    await shot('1-home');
  });

  it('opens a page from the menu, with its table of contents and sections', async () => {
    await page.locator('nav.menu').getByRole('link', { name: 'Peer Review' }).click();
    await page.locator('article[data-slug="peer-review"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/peer-review/');
    expect(await page.locator('h1').textContent()).toBe('Peer Review');
    const toc = await page.locator('nav.toc a').allTextContents();
    expect(toc.length).toBeGreaterThan(2);
    // Each table-of-contents entry links to a heading of the body.
    const target = await page.locator('nav.toc a').first().getAttribute('href');
    expect(await page.locator(`.page-body ${target}`).count()).toBe(1);
    await shot('2-menu-peer-review');
  });

  it("renders an include with the site's own component", async () => {
    await page.goto(`${siteUrl}/community-voices/`);
    const quote = page.locator('blockquote[data-component="pyos-blockquote.html"]');
    await quote.waitFor();
    expect(await quote.textContent()).toBe('Review made our package better.A maintainer');
    expect(await page.locator('[data-include-id]').count()).toBe(0);
  });

  it('searches from the header and opens a result at its section', async () => {
    await page.locator('form.search input').fill('reviw');
    const hit = page.locator('.search-hit a').first();
    await hit.waitFor();
    expect(await page.locator('.search-hit mark').count()).toBeGreaterThan(0);
    await shot('3-search');
    expect(await hit.textContent()).toBe('Peer Review');
    await hit.click();
    await page.locator('article[data-slug="peer-review"]').waitFor();
    expect(await page.locator('.search-results').isHidden()).toBe(true);
  });

  it('opens a FAQ answer and narrows the questions by a search', async () => {
    await page.locator('.site-footer').getByRole('link', { name: 'FAQ' }).click();
    const first = page.locator('details.faq-entry').first();
    await first.waitFor();
    expect(await page.locator('.faq-answer').first().isVisible()).toBe(false);
    await first.locator('summary').click();
    expect(await page.locator('.faq-answer').first().isVisible()).toBe(true);
    expect(JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}')['@type']).toBe('FAQPage');
    const all = await page.locator('details.faq-entry').count();
    await page.locator('input.faq-search').fill('JOSS');
    await page.waitForFunction((count) => document.querySelectorAll('details.faq-entry').length < count, all);
    expect(await page.locator('details.faq-entry summary').first().textContent()).toMatch(/JOSS/);
    await shot('4-faq');
  });

  it('shows an edit of the page on screen without a reload (preview, over the event stream)', async () => {
    await page.locator('nav.menu').getByRole('link', { name: 'Peer Review' }).click();
    await page.locator('article[data-slug="peer-review"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    const file = path.join(contentDir, 'peer-review.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nA live edit LIVE-EDIT-MARKER.\n`);
    await page.getByText('A live edit LIVE-EDIT-MARKER.').waitFor({ timeout: 15_000 });
    expect(await page.locator('.live-notice').textContent()).toBe('Updated: peer-review');
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    await shot('5-live-edit');
  });

  it('raised no error in the page and loaded nothing from elsewhere', () => {
    expect(failures).toEqual([]);
  });
});
