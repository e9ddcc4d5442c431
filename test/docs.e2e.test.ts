/**
 * /docs as a person sees it: a real headless Chromium (the binary ships in the
 * @sparticuz/chromium npm package, so `npm install` brings it) opens Swagger UI on the running
 * service, finds every route of the OpenAPI document, and runs one with "Try it out".
 */
import chromium from '@sparticuz/chromium';
import type { FastifyInstance } from 'fastify';
import { chromium as playwright, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from './helpers/app.ts';

/** Headless, no sandbox (we run as root in CI), and no call home of any kind. */
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

let app: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  app = await appFor(bundledContent);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('GET /docs', () => {
  it('lists every route of the OpenAPI document and runs "Try it out" against the service, loading nothing from elsewhere', async () => {
    const paths = Object.keys((await app.inject('/openapi.json')).json().paths);
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      if (new URL(route.request().url()).origin === base) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));

    await page.goto(`${base}/docs`);
    await page.locator('.opblock').first().waitFor();
    const listed = await page
      .locator('.opblock-summary-path')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-path')));
    expect([...listed].sort()).toEqual([...paths].sort());

    const operation = page.locator('#operations-pages-getPage');
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.locator('input[placeholder="slug"]').fill('index');
    await operation.getByRole('button', { name: 'Execute' }).click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .response').first().textContent()).toContain('"slug": "index"');

    expect(elsewhere).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  });
});
