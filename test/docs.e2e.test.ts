/**
 * /docs as a person sees it: a real headless Chromium (the binary ships in the
 * @sparticuz/chromium npm package, so `npm install` brings it) opens Swagger UI on the running
 * service, finds every route and webhook of the OpenAPI document, and runs "Try it out" on every GET operation
 * with the examples the document gives, which must exist in the bundled content.
 */
import chromium from '@sparticuz/chromium';
import type { FastifyInstance } from 'fastify';
import { chromium as playwright, type Browser, type Response as PlaywrightResponse } from 'playwright-core';
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

interface Operation {
  path: string;
  operationId: string;
  tag: string;
}

/** A request path that the document's path template stands for (`{path}` spans folders). */
const matches = (template: string, pathname: string) =>
  new RegExp(`^${template.replace(/\{path\}$/, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname);

describe('GET /docs', () => {
  it('lists every route and webhook of the OpenAPI document, loading nothing from elsewhere, and runs "Try it out" on every GET operation: each answers 200 with results', async () => {
    const document = (await app.inject('/openapi.json')).json<{
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
      webhooks: Record<string, unknown>;
    }>();
    const paths = Object.keys(document.paths);
    // Swagger UI lists the webhooks (what the service POSTs) after the routes, under their names.
    const webhooks = Object.keys(document.webhooks);
    const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
      item.get ? [{ path, operationId: item.get.operationId, tag: item.get.tags[0] }] : [],
    );
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
    expect([...listed].sort()).toEqual([...paths, ...webhooks].sort());

    const answers: string[] = [];
    // What "Try it out" shows that the page's own policy refuses (CSP) is only a console error.
    // (Swagger UI's own inline style at load is refused too, harmlessly; it is not counted.)
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(`${answers.at(-1) ?? '(load)'}: ${message.text()}`);
    });
    for (const { path, operationId, tag } of operations) {
      const operation = page.locator(`#operations-${tag}-${operationId}`);
      await operation.locator('.opblock-summary-control').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      // The request Swagger UI sends, with the examples it filled in: nothing is typed here.
      const sent = page.waitForResponse(
        (response) => response.request().method() === 'GET' && matches(path, new URL(response.url()).pathname),
      );
      await operation.getByRole('button', { name: 'Execute' }).click();
      const response = await sent;
      const url = new URL(response.url());
      const label = `${operationId}: ${url.pathname}${url.search}`;
      answers.push(`${label} → ${response.status()}`);
      if ((response.headers()['content-type'] ?? '').startsWith('text/event-stream')) {
        // A stream never ends, so Swagger UI never shows it: its status is what can be checked.
        expect(response.status(), label).toBe(200);
      } else {
        const status = operation.locator('.live-responses-table .response .response-col_status').first();
        await status.waitFor();
        expect((await status.textContent())?.trim(), label).toBe('200');
        if ((response.headers()['content-type'] ?? '').startsWith('image/')) {
          // An image is shown as one: it decodes, with its size.
          const image = operation.locator('.live-responses-table .response img').first();
          await image.waitFor();
          expect(
            await image.evaluate((element: HTMLImageElement) => element.decode().then(() => element.naturalWidth)),
            label,
          ).toBeGreaterThan(0);
        } else expect(await resultsOf(response), label).toBeGreaterThan(0);
      }
      await operation.locator('.opblock-summary-control').click();
    }

    expect(refused).toEqual([]);
    expect(elsewhere).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  }, 180_000);
});

/** How many results a response carries: the items of a list (or a term's pages), else one for any non-empty body. */
async function resultsOf(response: PlaywrightResponse): Promise<number> {
  const body = await response.body();
  if (!/json/.test(response.headers()['content-type'] ?? '')) return body.length > 0 ? 1 : 0;
  const json = JSON.parse(body.toString('utf8')) as { items?: unknown[]; mainEntity?: unknown[] };
  return (json.items ?? json.mainEntity)?.length ?? (Object.keys(json).length > 0 ? 1 : 0);
}
