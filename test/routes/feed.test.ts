import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, fixture, pyopensciCorpus } from '../helpers/app.ts';

let plain: FastifyInstance;
let plugins: FastifyInstance;
let corpus: FastifyInstance;
beforeAll(async () => {
  // A plain folder of pages (no _config.yml): no plugins, so no feed.
  [plain, plugins, corpus] = await Promise.all([
    appFor(fixture('faq-ranking')),
    appFor(fixture('jekyll-plugins')),
    appFor(pyopensciCorpus),
  ]);
});
afterAll(() => Promise.all([plain.close(), plugins.close(), corpus.close()]));

interface AtomEntry {
  title: { '#text': string };
  id: string;
  link: { '@_href': string };
  content?: unknown;
  summary?: unknown;
  published: string;
}
const feedOf = (xml: string) =>
  new XMLParser({ ignoreAttributes: false }).parse(xml).feed as Record<string, unknown> & { entry: AtomEntry | AtomEntry[] };
const entriesOf = (xml: string): AtomEntry[] => [].concat((feedOf(xml).entry ?? []) as never);

describe('GET /feed.xml', () => {
  it('is the Atom feed of the ten newest posts of the pyOpenSci site, valid XML with absolute URLs', async () => {
    const response = await corpus.inject('/feed.xml');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const newest = (await corpus.inject('/v1/pages?type=posts&sort=date&order=desc&limit=10&fields=title,permalink')).json().items;
    const entries = entriesOf(response.body);
    expect(entries.map((entry) => entry.id)).toEqual(
      newest.map((post: { permalink: string }) => `https://www.pyopensci.org${post.permalink}`),
    );
    expect(entries[0].title['#text']).toBe(newest[0].title);
    expect(feedOf(response.body).title).toMatchObject({ '#text': 'pyOpenSci' });
  });

  it("honours feed.posts_limit, feed.path and the site's title and author, with each post's HTML", async () => {
    const response = await plugins.inject('/feed.xml');
    const feed = feedOf(response.body);
    expect(feed.id).toBe('https://plugins.example.org/atom.xml');
    expect(feed.author).toEqual({ name: 'Ana Bo', email: 'ana@example.org' });
    const entries = entriesOf(response.body);
    expect(entries.map((entry) => entry.title['#text'])).toEqual(['Third', 'Second & better']);
    expect(entries[0]).toMatchObject({
      published: '2024-03-10T00:00:00.000Z',
      summary: { '#text': 'The newest one.' },
      author: { name: 'Cy Do' },
    });
    expect(entries[0].content).toMatchObject({ '#text': '<p>Newest <strong>post</strong>.</p>' });
  });

  it('answers 304 to a matching If-None-Match, like the other routes', async () => {
    const first = await plugins.inject('/feed.xml');
    expect(first.headers.etag).toBeTruthy();
    const again = await plugins.inject({ url: '/feed.xml', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('is 404 problem+json for a site that does not name jekyll-feed', async () => {
    const response = await plain.inject('/feed.xml');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
