import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { appFor, pyopensciCorpus } from '../helpers/app.ts';

let app: FastifyInstance;
let snapshot: Snapshot;
beforeAll(async () => {
  app = await appFor(pyopensciCorpus);
  snapshot = app.content.snapshot;
});
afterAll(() => app.close());

/** HTML with code blocks and comments removed: where template syntax would be a leak. */
const prose = (html: string) => html.replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<!--[\s\S]*?-->/g, '');

describe('the pyOpenSci Jekyll site, served as it is', () => {
  it('serves every published, non-redirect page: 404.md, 15 _pages and 76 posts', async () => {
    const first = (await app.inject('/v1/pages?limit=100')).json();
    expect(first.total).toBe(92);
    expect(first.items.filter((p: { collection: string | null }) => p.collection === 'posts')).toHaveLength(76);
  });

  it('loads with no errors, and every warning names a file, a line and what to do', () => {
    expect(snapshot.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const warning of snapshot.diagnostics) {
      expect(warning.file).toMatch(/\.(md|yml)$/);
      expect(warning.line).toBeGreaterThan(0);
      expect(warning.hint.length).toBeGreaterThan(10);
    }
  });

  it('leaves no Liquid or kramdown attribute text in any page outside code', () => {
    const leaks = snapshot.published.pages.filter((record) => /\{%|\{\{|\{:\s*[.#]/.test(prose(record.page.html)));
    expect(leaks.map((record) => record.file)).toEqual([]);
  });

  it('resolves every internal link except the two the site itself has broken', async () => {
    const links = new Set<string>();
    for (const record of snapshot.published.pages) {
      for (const match of prose(record.page.html).matchAll(/href="(\/[^"#?]*)/g)) if (/(\.html|\/)$/.test(match[1])) links.add(match[1]);
    }
    const unresolved: string[] = [];
    for (const link of links)
      if ((await app.inject(`/v1/resolve?path=${encodeURIComponent(link)}`)).statusCode !== 200) unresolved.push(link);
    // Neither exists in the site: Jekyll would serve a 404 for both, and `npm run check` warns about them.
    expect(unresolved.sort()).toEqual(['/communities/astropy.html', '/images/python-packaging/']);
    expect(snapshot.diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.message)).toEqual([
      'link to /communities/astropy.html points at no page of this site',
      'link to /images/python-packaging/ points at no page of this site',
    ]);
  });

  it('serves the home page at / with its header actions', async () => {
    const home = (await app.inject('/v1/resolve?path=/')).json();
    expect(home.page.actions.map((a: { label: string }) => a.label)).toEqual([
      'Learn to Create a Python Package',
      'Submit a Package For Review',
    ]);
  });

  it("keeps events' nested front matter", async () => {
    const events = snapshot.published.pages.filter((record) => record.file.startsWith('_posts/events/'));
    expect(events).toHaveLength(12);
    const withEvent = events.filter((record) => typeof record.page.front_matter.event === 'object');
    expect(withEvent.length).toBeGreaterThan(0);
  });

  it('reads sloppy multi-line excerpts the way Jekyll does, with a warning', () => {
    expect(snapshot.diagnostics.filter((d) => d.code === 'sloppy-yaml').length).toBe(11);
    const about = snapshot.published.pages.find((record) => record.file === '_pages/about-peer-review.md')!;
    const intro = about.page.front_matter.intro as { excerpt: string }[];
    expect(intro[0].excerpt).toMatch(/^Our open peer review process makes scientific software better/);
  });

  it('turns redirect_to stubs and redirect_from into redirects', async () => {
    expect((await app.inject('/v1/resolve?path=/get-involved-contact.html')).json()).toMatchObject({
      kind: 'redirect',
      location: 'https://www.pyopensci.org/volunteer.html',
    });
    expect((await app.inject('/v1/resolve?path=/contributors.html')).json()).toMatchObject({
      kind: 'redirect',
      location: '/our-community/',
    });
  });

  it('keeps missing includes as components with their parameters', async () => {
    const growth = snapshot.published.pages.find((record) => record.file.includes('monumental-growth'))!;
    const quotes = growth.page.components.filter((component) => component.name === 'pyos-blockquote.html');
    expect(quotes.some((quote) => JSON.stringify(quote.params).includes('Streamline the development of good quality'))).toBe(true);
    expect(growth.page.html).toContain('data-include="pyos-blockquote.html"');
  });

  it('gives each people-grid component of /our-community/ the person it shows, once, and only its id to the HTML', async () => {
    const response = await app.inject('/v1/resolve?path=/our-community/');
    const { page } = response.json();
    const grid = page.components.filter((component: { name: string }) => component.name === 'people-grid.html');
    expect(grid).toHaveLength(429);
    expect(
      grid.every(
        (component: { context: { aperson?: { github_username?: string } } }) =>
          typeof component.context.aperson?.github_username === 'string',
      ),
    ).toBe(true);
    expect(new Set(grid.map((component: { id: string }) => component.id)).size).toBe(429);
    for (const component of grid)
      expect(page.html).toContain(`<div data-include="people-grid.html" data-include-id="${component.id}"></div>`);
    expect(page.html).not.toContain('data-include-context');
    // 1,021,907 bytes when each person sat HTML-escaped in the placeholders of html and of sections.
    expect(response.body.length).toBeLessThan(500_000);
  });

  it('publishes the site settings', async () => {
    expect((await app.inject('/v1/site')).json()).toMatchObject({ title: 'pyOpenSci', url: 'https://www.pyopensci.org' });
  });

  it('loads the same content the same way every time', async () => {
    expect((await loadContent(pyopensciCorpus)).version).toBe(snapshot.version);
  }, 120_000);
});
