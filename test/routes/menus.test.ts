import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor, bundledContent, fixture, pyopensciCorpus } from '../helpers/app.ts';

let app: FastifyInstance;
let corpus: FastifyInstance;
/** A plain folder of pages: no _data/navigation.yml. */
let plain: FastifyInstance;
beforeAll(async () => {
  [app, corpus, plain] = await Promise.all([appFor(bundledContent), appFor(pyopensciCorpus), appFor(fixture('faq-ranking'))]);
});
afterAll(() => Promise.all([app.close(), corpus.close(), plain.close()]));

describe('GET /v1/navigation/menus', () => {
  it('serves the menus of _data/navigation.yml with links resolved to pages', async () => {
    const body = (await corpus.inject('/v1/navigation/menus')).json();
    expect(body.total).toBe(1);
    const [main] = body.items;
    expect(main.name).toBe('main');
    expect(main.items.map((item: { title: string }) => item.title)).toEqual([
      'Peer Review',
      'Packaging',
      'Learn',
      'Community',
      'Support Us',
      'Donate',
    ]);
    const [peerReview, packaging] = main.items;
    expect(peerReview).toMatchObject({ url: null, internal: false, slug: null });
    expect(peerReview.children).toContainEqual({
      title: 'Community partners',
      url: '/partners.html',
      internal: true,
      slug: 'partners',
      icon: null,
      description: null,
      button: false,
      children: [],
    });
    // Written relative ("python-packaging-science.html") and as /x/index.html: both reach their page.
    expect(packaging.children[0]).toMatchObject({ url: '/python-packaging-science.html', internal: true, slug: 'packaging-resources' });
    expect(peerReview.children[0]).toMatchObject({ url: '/about-peer-review/', slug: 'about-peer-review' });
    expect(peerReview.children.at(-1)).toMatchObject({
      url: 'https://www.pyopensci.org/software-peer-review/',
      internal: false,
      icon: 'fas fa-external-link-alt',
    });
    expect(main.items.at(-1)).toMatchObject({ title: 'Donate', button: true, internal: false });
  });

  it('is empty for a site without menus', async () => {
    expect((await plain.inject('/v1/navigation/menus')).json()).toEqual({ items: [], total: 0 });
  });
});

describe('GET /v1/pages/{slug}/navigation', () => {
  it('gives a post its breadcrumbs and its older and newer neighbours', async () => {
    const body = (await corpus.inject('/v1/pages/automata/navigation')).json();
    expect(body.breadcrumbs).toEqual([
      { title: 'Home', url: '/', slug: 'home' },
      { title: 'pyOpenSci Blog', url: '/blog/', slug: 'blog' },
      { title: expect.stringMatching(/^automata/), url: '/blog/automata.html', slug: 'automata' },
    ]);
    const previous = (await corpus.inject(`/v1/pages/${body.previous.slug}`)).json();
    const next = (await corpus.inject(`/v1/pages/${body.next.slug}`)).json();
    const self = (await corpus.inject('/v1/pages/automata')).json();
    expect(previous.date <= self.date && self.date <= next.date).toBe(true);
  });

  it('gives plain pages of a folder their neighbours by permalink, and the home page only Home', async () => {
    const home = (await app.inject('/v1/pages/index/navigation')).json();
    expect(home.breadcrumbs).toEqual([{ title: 'Home', url: '/', slug: 'index' }]);
    const contributors = (await app.inject('/v1/pages/contributors/navigation')).json();
    expect(contributors).toMatchObject({ previous: { slug: 'index' }, next: { slug: 'peer-review' } });
    expect((await app.inject('/v1/pages/no-such-page/navigation')).statusCode).toBe(404);
  });
});

describe('GET /v1/pages/{slug}/toc', () => {
  it('serves the table of contents of a page with toc: true, to the depth asked for', async () => {
    const full = (await app.inject('/v1/pages/peer-review/toc')).json();
    expect(full).toMatchObject({ page: 'peer-review', enabled: true, label: 'On this page', depth: 6 });
    const faq = full.items.find((item: { id: string }) => item.id === 'frequently-asked-questions');
    expect(faq.children.map((child: { id: string }) => child.id)).toContain('how-long-does-a-review-usually-take');
    const shallow = (await app.inject('/v1/pages/peer-review/toc?depth=1')).json();
    expect(shallow.items.map((item: { id: string }) => item.id)).toEqual(full.items.map((item: { id: string }) => item.id));
    expect(shallow.items.every((item: { children: unknown[] }) => item.children.length === 0)).toBe(true);
  });

  it('is empty for a page that does not ask for one, and refuses a bad depth', async () => {
    expect((await app.inject('/v1/pages/index/toc')).json()).toMatchObject({ enabled: false, items: [] });
    for (const depth of ['0', '7', 'x']) expect((await app.inject(`/v1/pages/index/toc?depth=${depth}`)).statusCode).toBe(400);
  });
});
