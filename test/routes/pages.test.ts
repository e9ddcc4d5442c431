import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(bundledContent);
});
afterAll(() => app.close());

describe('GET /v1/pages', () => {
  it('lists published pages with paging and a total', async () => {
    const response = await app.inject('/v1/pages?limit=2&offset=1');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ total: 6, limit: 2, offset: 1 });
    expect(body.items.map((p: { slug: string }) => p.slug)).toEqual(['index', 'peer-review']);
  });

  it('answers a bad limit with 400 problem+json naming the parameter', async () => {
    const response = await app.inject('/v1/pages?limit=abc');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, title: 'Bad Request', invalid_params: [{ in: 'query', name: 'limit' }] });
  });

  it.each(['limit=0', 'limit=101', 'offset=-1', 'limit=1.5'])('rejects %s with 400', async (query) => {
    expect((await app.inject(`/v1/pages?${query}`)).statusCode).toBe(400);
  });
});

describe('GET /v1/pages/{slug}', () => {
  it('serves the seed page with front matter, sections, toc, FAQ and actions', async () => {
    const response = await app.inject('/v1/pages/index');
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ slug: 'index', title: 'Welcome to pyOpenSci', permalink: '/', layout: 'single' });
    expect(page.front_matter.header.overlay_filter).toBe(0.6);
    expect(page.toc.map((h: { id: string }) => h.id)).toEqual([
      'about-pyopensci',
      'get-involved',
      'community-meetings',
      'whos-involved',
      'faq',
      'whats-the-difference-between-pyopensci-and-joss',
    ]);
    expect(page.sections.map((s: { id: string }) => s.id)).toEqual(['about-pyopensci', 'get-involved', 'faq']);
    expect(page.sections[1].children.map((s: { id: string }) => s.id)).toEqual(['community-meetings', 'whos-involved']);
    expect(page.faq).toHaveLength(1);
    expect(page.actions).toEqual([
      { label: 'Resources', url: '/resources/', internal: true, slug: 'resources', page: 'index' },
      { label: 'GitHub', url: 'https://github.com/pyOpenSci', internal: false, slug: null, page: 'index' },
    ]);
  });

  it('serves the rendered HTML fragment for Accept: text/html and ?format=html', async () => {
    for (const request of [{ url: '/v1/pages/index', headers: { accept: 'text/html' } }, { url: '/v1/pages/index?format=html' }]) {
      const response = await app.inject(request);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toMatch(/^<h2 id="about-pyopensci">About pyOpenSci<\/h2>/);
      expect(response.body).not.toContain('overlay_filter');
    }
  });

  it('answers an unknown slug with 404 problem+json', async () => {
    const response = await app.inject('/v1/pages/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, detail: 'No page has the slug "no-such-page".' });
  });

  it('never treats a slug as a file path', async () => {
    for (const slug of ['..%2F..%2Fpackage.json', '..%2Fcontent%2Findex', 'index.md', '%2Fetc%2Fpasswd']) {
      const response = await app.inject(`/v1/pages/${slug}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('/work/');
    }
  });

  it('does not serve drafts', async () => {
    expect((await app.inject('/v1/pages/roadmap-draft')).statusCode).toBe(404);
  });
});

describe('GET /v1/pages/{slug}/sections', () => {
  it('lists the section tree', async () => {
    const body = (await app.inject('/v1/pages/index/sections')).json();
    expect(body.page).toBe('index');
    expect(body.items[2]).toMatchObject({ id: 'faq', title: 'FAQ', children: [{ id: 'whats-the-difference-between-pyopensci-and-joss' }] });
  });

  it('serves one section as JSON and as an HTML fragment with its heading', async () => {
    const section = (await app.inject('/v1/pages/index/sections/get-involved')).json();
    expect(section).toMatchObject({ id: 'get-involved', title: 'Get Involved', level: 2 });
    expect(section.html).toContain('There are many different ways to get involved');
    expect(section.children.map((s: { id: string }) => s.id)).toEqual(['community-meetings', 'whos-involved']);
    const html = await app.inject('/v1/pages/index/sections/get-involved?format=html');
    expect(html.body).toMatch(/^<h2 id="get-involved">Get Involved<\/h2>/);
    expect(html.body).toContain('<h3 id="community-meetings">');
  });

  it('answers an unknown section id with 404', async () => {
    const response = await app.inject('/v1/pages/index/sections/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toBe('Page "index" has no section "nope".');
  });
});

describe('slugs and ids at the routes’ limit (200 characters)', () => {
  const long = Array.from({ length: 55 }, (_, i) => `word${i}`).join(' ');
  const cjk = '中文标题'.repeat(60);
  let dir: string;
  let longApp: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'long-ids-'));
    await writeFile(
      path.join(dir, 'long.md'),
      `---\ntitle: Long\n---\n\n## ${long}\n\nText.\n\n## ${cjk}\n\nMore.\n\n## FAQ\n\n**${long}?**\n\nAn answer.\n`,
    );
    await writeFile(path.join(dir, `${'l'.repeat(240)}.md`), '---\ntitle: Long name\n---\n\nBody.\n');
    await writeFile(path.join(dir, `${'n'.repeat(240)}.md`), '---\ntitle: Named\nslug: short-slug\n---\n\nBody.\n');
    longApp = await appFor(dir);
  });
  afterAll(async () => {
    await longApp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a long heading or question an id a route takes, so every section and FAQ entry listed can be fetched', async () => {
    const page = (await longApp.inject('/v1/pages/long')).json();
    const ids: string[] = [
      ...page.sections.map((section: { id: string }) => section.id),
      ...page.faq.map((entry: { id: string }) => entry.id),
    ];
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(200);
    for (const section of page.sections)
      expect((await longApp.inject(`/v1/pages/long/sections/${encodeURIComponent(section.id)}`)).statusCode).toBe(200);
    for (const entry of page.faq) expect((await longApp.inject(`/v1/faq/${encodeURIComponent(entry.id)}`)).statusCode).toBe(200);
  });

  it('leaves out, with a slug-too-long error, a page whose file name gives a slug no route takes; a slug in its front matter serves it', async () => {
    const slugs = (await longApp.inject('/v1/pages?limit=100')).json().items.map((item: { slug: string }) => item.slug);
    expect(slugs.sort()).toEqual(['long', 'short-slug']);
    const diagnostics = (await longApp.inject('/v1/diagnostics')).json().diagnostics;
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: 'slug-too-long', file: `${'l'.repeat(240)}.md`, severity: 'error' }),
    );
    expect((await longApp.inject('/v1/pages/short-slug')).statusCode).toBe(200);
  });
});

describe('permalinks at /v1/resolve’s limit (2,000 characters)', () => {
  const atLimit = `/${'q'.repeat(1998)}/`;
  const tooLong = `/${'p'.repeat(2000)}/`;
  let dir: string;
  let pathApp: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'long-permalinks-'));
    await writeFile(path.join(dir, 'at-limit.md'), `---\ntitle: At the limit\npermalink: ${atLimit}\n---\n\nBody.\n`);
    await writeFile(path.join(dir, 'too-long.md'), `---\ntitle: Too long\npermalink: ${tooLong}\n---\n\nBody.\n`);
    pathApp = await appFor(dir);
  });
  afterAll(async () => {
    await pathApp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a page only at a permalink /v1/resolve takes, and resolves it; a longer one is left out with a permalink-too-long error at its line', async () => {
    const items = (await pathApp.inject('/v1/pages?limit=100&fields=slug,permalink')).json().items;
    expect(items).toEqual([{ slug: 'at-limit', permalink: atLimit }]);
    const resolved = await pathApp.inject(`/v1/resolve?path=${encodeURIComponent(atLimit)}`);
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ kind: 'page', path: atLimit, page: { slug: 'at-limit' } });
    const diagnostics = (await pathApp.inject('/v1/diagnostics')).json().diagnostics;
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ code: 'permalink-too-long', file: 'too-long.md', severity: 'error', line: 3, field: 'permalink' }),
    );
  });
});

describe('headings whose id no section route takes', () => {
  const longId = 'x'.repeat(250);
  const lines = [
    '---',
    'title: Headings',
    '---',
    '',
    '## Intro',
    '',
    'First.',
    '',
    '## Long explicit id',
    `{: #${longId}}`,
    '',
    'Under the long id.',
    '',
    '<h2>Raw without id</h2>',
    '',
    'Under the raw heading.',
    '',
    '## !!!',
    '',
    'Under the punctuation.',
    '',
    `<h2 id="${'y'.repeat(250)}">Raw long id</h2>`,
    '',
    '## Outro',
    '',
    'Last.',
    '',
  ];
  let dir: string;
  let headingsApp: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heading-ids-'));
    await writeFile(path.join(dir, '_config.yml'), 'title: Site\nmarkdown: kramdown\n');
    await writeFile(path.join(dir, 'headings.md'), lines.join('\n'));
    headingsApp = await appFor(dir);
  });
  afterAll(async () => {
    await headingsApp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200 for every section and table-of-contents entry listed, by its id', async () => {
    const page = (await headingsApp.inject('/v1/pages/headings')).json();
    const listed = (await headingsApp.inject('/v1/pages/headings/sections')).json().items;
    const ids: string[] = [...page.toc, ...page.sections, ...listed].map((entry: { id: string }) => entry.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect((await headingsApp.inject(`/v1/pages/headings/sections/${encodeURIComponent(id)}`)).statusCode, id).toBe(200);
    expect(page.toc.map((entry: { id: string }) => entry.id)).toEqual(['intro', 'outro']);
  });

  it('keeps such a heading and what follows it in the section above, as served', async () => {
    const intro = (await headingsApp.inject('/v1/pages/headings/sections/intro')).json();
    expect(intro.html).toContain(`id="${longId}"`);
    expect(intro.text).toContain('Under the raw heading.');
    expect(intro.text).toContain('Under the punctuation.');
    expect((await headingsApp.inject('/v1/pages/headings')).json().html).toContain(`<h2 id="${longId}">Long explicit id</h2>`);
  });

  it('reports each with a section-id-not-routable warning at its line', async () => {
    const { diagnostics } = (await headingsApp.inject('/v1/diagnostics')).json();
    const warnings = diagnostics.filter((diagnostic: { code: string }) => diagnostic.code === 'section-id-not-routable');
    const lineOf = (start: string) => lines.findIndex((line) => line.startsWith(start)) + 1;
    expect(
      warnings.map(({ severity, file, line, column, field }: Record<string, unknown>) => ({ severity, file, line, column, field })),
    ).toEqual(
      ['## Long explicit id', '<h2>Raw without id', '## !!!', '<h2 id="y'].map((start) => ({
        severity: 'warning',
        file: 'headings.md',
        line: lineOf(start),
        column: 1,
        field: null,
      })),
    );
    expect(warnings[0].message).toContain('its id is 250 characters long');
    expect(warnings[1].message).toContain('it has no id');
  });
});
