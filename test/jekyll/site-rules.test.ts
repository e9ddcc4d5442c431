import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { appFor, fixture } from '../helpers/app.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await appFor(fixture('jekyll-site'));
});
afterAll(() => app.close());

const page = async (slug: string) => (await app.inject(`/v1/pages/${slug}`)).json();

describe('a Jekyll site folder', () => {
  it('serves pages, _pages (config include), posts and output collections; not _drafts, undated or future posts, or redirect stubs', async () => {
    const body = (await app.inject('/v1/pages?limit=100')).json();
    expect(body.items.map((p: { slug: string }) => p.slug)).toEqual(['about', 'hello-world', 'index', 'setup', 'soup', 'spring-news']);
  });

  it('takes post dates and slugs from file names, front-matter dates win, and titles come from slugs', async () => {
    expect(await page('hello-world')).toMatchObject({
      title: 'Hello World',
      date: '2024-01-15T00:00:00.000Z',
      collection: 'posts',
      permalink: '/updates/2024/hello-world/',
    });
    expect(await page('spring-news')).toMatchObject({ date: '2024-03-02T16:00:00.000Z', permalink: '/2024/spring-news/' });
  });

  it('applies _config.yml defaults by type and path, front matter first', async () => {
    expect((await page('hello-world')).front_matter).toMatchObject({ layout: 'single', share: true });
    expect((await page('setup')).front_matter.layout).toBe('guide');
    expect((await page('about')).front_matter.layout).toBeUndefined();
  });

  it('expands collection permalink patterns and adds the leading slash Jekyll adds', async () => {
    expect((await page('soup')).permalink).toBe('/recipes/soup/');
    expect((await page('about')).permalink).toBe('/about/');
  });

  it('evaluates Liquid with page, site and site.posts; keeps {% raw %} literal; renders includes that exist', async () => {
    const { html } = await page('index');
    expect(html).toContain('Welcome to Fixture Site.');
    expect(html).toContain('<aside class="note">Rendered from _includes</aside>');
    expect(html).toMatch(
      /<a href="\/2024\/spring-news\/">Spring news<\/a>[\s\S]*<a href="\/updates\/2024\/hello-world\/">Hello World<\/a>/,
    );
    expect(html).toContain('<p>{{ not evaluated }}</p>');
    expect(html).toContain('<p class="notice">A notice paragraph.</p>');
  });

  it('keeps a missing include as a component with every parameter in the JSON, named by its placeholder', async () => {
    const index = await page('index');
    expect(index.components).toEqual([
      {
        id: 'component-1',
        kind: 'include',
        name: 'card.html',
        params: { title: 'Missing include', link: '/recipes/soup/' },
        context: {},
        line: 10,
        placement: 'block',
      },
    ]);
    expect(index.html).toContain('<div data-include="card.html" data-include-id="component-1"></div>');
  });

  it('resolves links written with the baseurl, and links to redirected paths', async () => {
    const { html } = await page('index');
    // Links are rewritten to permalinks, which are paths within the site (the frontend adds the baseurl).
    expect(html).toContain('<a href="/recipes/soup/">the soup recipe</a>');
    expect(html).toContain('<a href="/">the old page</a>');
    expect((await app.inject('/v1/resolve?path=/docs/recipes/soup/')).json().page.slug).toBe('soup');
  });

  it('answers redirect_to stubs and redirect_from paths in /v1/resolve', async () => {
    expect((await app.inject('/v1/resolve?path=/old-home/')).json()).toEqual({
      kind: 'redirect',
      path: '/old-home',
      location: '/',
      status: 301,
    });
    expect((await app.inject('/v1/resolve?path=/about-us.html')).json()).toMatchObject({ kind: 'redirect', location: '/about/' });
    expect((await app.inject('/v1/pages/old-home')).statusCode).toBe(404);
  });

  it('publishes site settings without secrets', async () => {
    const response = await app.inject('/v1/site');
    expect(response.json()).toMatchObject({
      title: 'Fixture Site',
      url: 'https://example.org',
      baseurl: '/docs',
      settings: { author: { name: 'Ada' } },
    });
    expect(response.body).not.toMatch(/do-not-leak|UA-SECRET|analytics|reCaptcha/);
  });
});

describe('the navigation data file', () => {
  it('reports a bad menu entry at its file and line, like any content problem', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nav-'));
    try {
      await cp(fixture('jekyll-site'), dir, { recursive: true });
      await writeFile(path.join(dir, '_data/navigation.yml'), 'main:\n  - title: "Home"\n    url: /\n  - title: 42\n');
      const snapshot = await loadContent(dir);
      expect(snapshot.diagnostics.find((d) => d.file === '_data/navigation.yml')).toMatchObject({
        code: 'invalid-menu',
        line: 4,
        severity: 'error',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets templates print only the site settings /v1/site publishes, never secrets of _config.yml', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jekyll-secrets-'));
    try {
      await writeFile(
        path.join(dir, '_config.yml'),
        'title: Site title\napi_token: TOKEN-8d2f\nbuild_secret: BUILD-51c0\nfooter:\n  links: [a]\n  deploy_password: PASSWORD-0e3b\n',
      );
      await writeFile(
        path.join(dir, 'index.md'),
        '---\ntitle: Home\n---\n\n[{{ site.api_token }}][{{ site.build_secret }}][{{ site.footer.deploy_password }}][{{ site.title }}]\n',
      );
      const snapshot = await loadContent(dir);
      const html = snapshot.published.bySlug.get('index')!.page.html;
      expect(html).toContain('[][][][Site title]');
      expect(html).not.toMatch(/TOKEN-8d2f|BUILD-51c0|PASSWORD-0e3b/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a Jekyll site's hostile _config.yml and _data files", () => {
  let hostile: FastifyInstance;
  beforeAll(async () => {
    hostile = await appFor(fixture('jekyll-site-files'));
  });
  afterAll(() => hostile.close());

  it('serves only the data files it could read, as JSON, and lists every problem in /v1/diagnostics', async () => {
    for (const name of ['unresolved', 'laughs', 'navigation', '__proto__'])
      expect((await hostile.inject(`/v1/data/${name}`)).statusCode, name).toBe(404);
    expect((await hostile.inject('/v1/data/no-such-data')).json().detail).toContain('(it has: authors, people, tags)');
    expect((await hostile.inject('/v1/data/tags')).json()).toEqual({
      logo: 'aGVsbG8=',
      launched: '2024-01-02',
      team: { Ada: null, Grace: null },
      order: [{ first: 'Ada' }, { second: 'Grace' }],
    });
    expect((await hostile.inject('/v1/data/people')).body).toBe('{"people":[{"name":"Ada"}]}');
    const { diagnostics } = (await hostile.inject('/v1/diagnostics')).json();
    expect(diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`)).toEqual(
      expect.arrayContaining([
        '_config.yml invalid-config',
        '_data/unresolved.yml yaml-aliases',
        '_data/laughs.yml yaml-aliases',
        '_data/navigation.yml yaml-aliases',
        '_data/tags.yml yaml-warning',
        '_data/people.json unsafe-key',
        '_data/__proto__.yml unsafe-key',
      ]),
    );
  });

  it('publishes no setting of the wrong type: /v1/site and templates see it as not set', async () => {
    const site = (await hostile.inject('/v1/site')).json();
    expect(site).toMatchObject({ title: null, baseurl: null, description: 'Site files written to trip the reader' });
    expect(site.settings).not.toHaveProperty('title');
    expect((await hostile.inject('/v1/pages/index')).json().html).toContain('Ada and 2024-01-02.');
  });
});
