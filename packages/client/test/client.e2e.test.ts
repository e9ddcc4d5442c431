/**
 * The client package against the live service (the app listening on a loopback port, over a
 * copy of the bundled content that it watches): each helper answers what it is typed to answer,
 * and every response is checked against the OpenAPI document the service serves.
 */
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/build-app.ts';
import { copyOfBundledContent } from '../../../test/helpers/app.ts';
import { Contract } from '../../../test/helpers/contract.ts';
import { createClient, type ContentClient, type ContentEvent } from '../src/index.ts';
import { until } from '../../../test/helpers/poll.ts';

const TOKEN = 'client-preview-token-0123456789abcdef';

let work: string;
let dir: string;
let app: FastifyInstance;
let base: string;
let contract: Contract;

/** A client whose every response goes through the contract check. */
function checkedClient(previewToken?: string): ContentClient {
  const client = createClient({ baseUrl: base, previewToken });
  client.raw.use({
    async onResponse({ request, response }) {
      const url = new URL(request.url);
      // fetch has already undone any Content-Encoding.
      const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-encoding'));
      contract.check({
        method: request.method,
        url: url.pathname + url.search,
        status: response.status,
        headers,
        body: Buffer.from(await response.clone().arrayBuffer()),
      });
    },
  });
  return client;
}

beforeAll(async () => {
  ({ work, dir } = await copyOfBundledContent('client-'));
  app = await buildApp({ contentDir: dir, previewToken: TOKEN, watch: true, searchBudgetMs: 60_000, searchRankingMsPerSecond: 60_000 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  contract = await Contract.served((options) => app.inject(options));
});
afterAll(async () => {
  await app?.close();
  await rm(work, { recursive: true, force: true });
});

describe('createClient', () => {
  it('lists pages with every summary field, or only the fields asked for', async () => {
    const api = checkedClient();
    const all = await api.pages.list({ limit: 2 });
    expect(all.data?.total).toBe(6);
    expect(Object.keys(all.data!.items[0]).sort()).toEqual([
      'categories',
      'collection',
      'date',
      'excerpt',
      'last_modified',
      'layout',
      'permalink',
      'slug',
      'tags',
      'title',
    ]);
    const narrow = await api.pages.list({ fields: ['title', 'permalink'] });
    expect(narrow.data!.items.map((item) => Object.keys(item).sort())).toEqual(Array(6).fill(['permalink', 'slug', 'title']));
  });

  it('walks every page through the cursor with pages.all', async () => {
    const slugs: string[] = [];
    for await (const page of checkedClient().pages.all({ limit: 2, fields: ['slug'] })) slugs.push(page.slug);
    expect(slugs).toEqual(['contributors', 'index', 'peer-review', 'python-packages', 'resources', 'welcome-new-editors']);
  });

  it('gets a page as JSON with its front matter, as HTML, and its sections, toc and navigation', async () => {
    const api = checkedClient();
    const page = await api.pages.get('peer-review');
    expect(page.data?.front_matter.toc).toBe(true);
    expect(page.data?.faq.length).toBeGreaterThan(0);
    const html = await api.pages.html('peer-review');
    expect(html.data).toContain('<h2 id=');
    const sections = await api.pages.sections('peer-review');
    const first = sections.data!.items[0];
    expect((await api.pages.section('peer-review', first.id)).data?.id).toBe(first.id);
    expect((await api.pages.sectionHtml('peer-review', first.id)).data).toContain(`id="${first.id}"`);
    expect((await api.pages.toc('peer-review')).data?.enabled).toBe(true);
    expect((await api.pages.navigation('peer-review')).data?.breadcrumbs.length).toBeGreaterThan(0);
  });

  it('answers a missing page with the problem, typed', async () => {
    const { data, error, response } = await checkedClient().pages.get('no-such-page');
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error?.detail).toBe('No page has the slug "no-such-page".');
  });

  it('lists and searches the FAQ as JSON, and gives it as schema.org JSON-LD', async () => {
    const api = checkedClient();
    const list = await api.faq.list();
    expect(list.data!.items.length).toBe(list.data!.total);
    const found = await api.faq.search('JOSS');
    expect(found.data!.items[0].question).toMatch(/JOSS/);
    expect((await api.faq.get(found.data!.items[0].id)).data?.id).toBe(found.data!.items[0].id);
    const jsonLd = await api.faq.jsonLd();
    expect(jsonLd.response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(jsonLd.data?.['@type']).toBe('FAQPage');
  });

  it('reads navigation, menus, site, search, resolve, health and diagnostics', async () => {
    const api = checkedClient();
    expect((await api.navigation.list()).data?.items.some((action) => action.slug === 'resources')).toBe(true);
    expect((await api.menus.list()).data?.items[0].items.map((item) => item.title)).toEqual(['Peer Review', 'Packages', 'Community']);
    expect((await api.site.get()).data?.title).toBe('pyOpenSci');
    expect(await api.site.feed()).toEqual({ url: `${base}/feed.xml` });
    expect((await api.search('reviw')).data?.items[0].slug).toBe('peer-review');
    expect((await api.resolve('/resources/')).data).toMatchObject({ kind: 'page', page: { slug: 'resources' } });
    expect((await api.health()).data?.version).toMatch(/\w+/);
    expect((await api.diagnostics.list()).response.status).toBe(200);
  });

  it('reads data files, categories and tags, typed', async () => {
    const api = checkedClient();
    type Authors = Record<string, { name: string; bio: string }>;
    const authors = await api.data.get<Authors>('authors');
    expect(authors.data?.['Leah Wasser'].bio).toBe('Executive Director & Founder, pyOpenSci');
    const missing = await api.data.get('team');
    expect(missing.response.status).toBe(404);
    expect(missing.error?.detail).toContain('it has: authors, navigation');

    const categories = await api.categories.list();
    expect(categories.data?.items).toEqual([{ name: 'blog-post', slug: 'blog-post', count: 1, pages: '/v1/pages?category=blog-post' }]);
    const category = await api.categories.get('blog-post');
    expect(category.data?.items.map((page) => page.slug)).toEqual(['welcome-new-editors']);
    expect((await api.tags.list()).data?.items.map((tag) => tag.slug)).toEqual(['community', 'peer-review']);
    expect((await api.tags.get('peer-review')).data?.count).toBe(1);
    expect((await api.tags.get('no-such-tag')).response.status).toBe(404);
  });

  it("gives a page's author and images, and the URLs their files are served at", async () => {
    const api = checkedClient();
    const { data: post } = await api.pages.get('welcome-new-editors');
    expect(post?.author).toMatchObject({ name: 'Leah Wasser', resolved: true, avatar: '/v1/assets/images/people/leah-wasser.png' });
    const header = post!.images.find((image) => image.field === 'front_matter.header.overlay_image')!;
    expect(header).toMatchObject({ url: '/v1/assets/images/headers/pyopensci-editors.png', width: 1200, height: 400 });
    const url = api.assets.resolve(header.url);
    expect(url).toBe(api.assets.url('images/headers/pyopensci-editors.png'));
    expect(url).toBe(`${base}/v1/assets/images/headers/pyopensci-editors.png`);
    expect(api.assets.resolve('https://cdn.example.org/a.png')).toBe('https://cdn.example.org/a.png');
    expect(api.assets.url('/images/a b#c.png')).toBe(`${base}/v1/assets/images/a%20b%23c.png`);
    for (const src of [url, api.assets.resolve(post!.author!.avatar!)]) {
      const response = await fetch(src, { headers: { accept: 'image/*' } });
      expect(response.status, src).toBe(200);
      expect(response.headers.get('content-type'), src).toBe('image/png');
      const path = new URL(src).pathname;
      contract.check({
        method: 'GET',
        url: path,
        status: 200,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    }
  });

  it('sees drafts only with the preview token', async () => {
    expect((await checkedClient().pages.get('roadmap-draft')).response.status).toBe(404);
    expect((await checkedClient(TOKEN).pages.get('roadmap-draft')).data?.front_matter.published).toBe(false);
  });
});

describe('events.subscribe', () => {
  it('hears an edit, and reconnects after failures resuming with Last-Event-ID', async () => {
    const requests: Headers[] = [];
    let streams: AbortController[] = [];
    // The first attempt fails as a network error would; later ones reach the service, and the
    // test can cut a connected stream.
    const flaky: typeof fetch = async (input, init) => {
      requests.push(new Headers(init?.headers));
      if (requests.length === 1) throw new TypeError('fetch failed');
      const cut = new AbortController();
      streams.push(cut);
      init?.signal?.addEventListener('abort', () => cut.abort());
      return fetch(input, { ...init, signal: cut.signal });
    };
    const ready: string[] = [];
    const content: ContentEvent[] = [];
    const errors: unknown[] = [];
    const api = createClient({ baseUrl: base, previewToken: TOKEN, fetch: flaky });
    const subscription = api.events.subscribe({
      minDelayMs: 50,
      onReady: (event) => ready.push(event.version),
      onContent: (event) => content.push(event),
      onError: (error) => errors.push(error),
    });
    try {
      await until(() => ready.length === 1, 'the first ready event');
      expect(errors).toHaveLength(1);
      expect(requests[1].get('authorization')).toBe(`Bearer ${TOKEN}`);

      const file = path.join(dir, 'resources.md');
      await appendFile(file, '\nAn edit the client hears about.\n');
      const event = await until(() => content[0], 'a content event');
      expect(event.changed).toEqual(['resources']);
      expect(subscription.lastEventId).toBe(event.version);

      for (const stream of streams) stream.abort();
      streams = [];
      await until(() => ready.length === 2, 'the ready event after reconnecting');
      expect(requests.at(-1)?.get('last-event-id')).toBe(event.version);
      await writeFile(file, (await readFile(file, 'utf8')).replace('An edit the client hears about.', 'A second edit.'));
      await until(() => content.length === 2, 'a content event on the new connection');
    } finally {
      subscription.close();
      await subscription.closed;
    }
  });
});
