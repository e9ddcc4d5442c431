import { describe, expect, it } from 'vitest';
import { createLinkResolver, createLinkResolverInSlices, type LinkContext } from '../../src/content/links.ts';
import { createTimeSlicer } from '../../src/content/time-slice.ts';

const context: LinkContext = {
  pages: [
    { file: 'about.md', slug: 'about', permalink: '/about/' },
    { file: 'guides/start.md', slug: 'start', permalink: '/guides/start.html' },
    { file: 'index.md', slug: 'index', permalink: '/' },
  ],
  redirects: [
    ['/old-about', '/about/'],
    ['/gone', 'https://example.org/elsewhere'],
  ],
  baseUrl: '',
};

describe('createLinkResolver', () => {
  it('answers an href from each page as a resolver new to it does, when it remembers answers given to other pages', () => {
    const withImages: LinkContext = {
      ...context,
      pages: [...context.pages, { file: 'guides/deep/more.md', slug: 'more', permalink: '/guides/deep/more/' }],
      assets: { publicUrl: '', images: { 'images/logo.png': [10, 20], 'guides/images/logo.png': [30, 40] } },
    };
    const shared = createLinkResolver(withImages);
    const pages = withImages.pages.map(({ file, permalink }) => ({ file, permalink }));
    const hrefs = ['/about', '/about/#team', '/guides/start.md', '/GUIDES/start.MD?x=1', 'start.md', '../about/', '/old-about/', '/gone', '/\\example.org/about', '/\t/example.org/about', '//example.org/about', '#top', ''];
    const images = ['images/logo.png', '/images/logo.png', '../images/logo.png', '/guides/images/logo.png', 'https://example.org/logo.png'];
    for (const from of pages) {
      for (const href of hrefs) expect(shared.findPage(href, from), `${href} from ${from.file}`).toEqual(createLinkResolver(withImages).findPage(href, from));
      for (const src of images) {
        for (const relativeTo of ['page', 'site'] as const) {
          expect(shared.resolveImage(src, from, relativeTo), `${src} (${relativeTo}) from ${from.file}`).toEqual(createLinkResolver(withImages).resolveImage(src, from, relativeTo));
        }
      }
    }
    // The same href does name different pages from different folders: answers are not all shared.
    expect(shared.findPage('start.md', pages[1])).not.toEqual(shared.findPage('start.md', pages[0]));
    expect(shared.resolveImage('images/logo.png', { permalink: '/guides/x/' })).not.toEqual(shared.resolveImage('images/logo.png', { permalink: '/' }));
  });
});

describe('createLinkResolverInSlices', () => {
  it('resolves links as the resolver made at once does', async () => {
    const atOnce = createLinkResolver(context);
    const inSlices = await createLinkResolverInSlices(context, createTimeSlicer(0));
    const from = { file: 'guides/start.md', permalink: '/guides/start.html' };
    const hrefs = ['/about', '../about/#team', 'start.md', '/old-about/', '/gone', '/missing/', 'https://example.org/', '#top', '/guides/start'];
    for (const href of hrefs) expect(inSlices.resolveLink(href, from), href).toEqual(atOnce.resolveLink(href, from));
  });

  it('gives requests turns while it fills the lookups of a site of thousands of pages', async () => {
    const large: LinkContext = {
      pages: Array.from({ length: 20_000 }, (_, i) => ({ file: `page-${i}.md`, slug: `page-${i}`, permalink: `/page-${i}/` })),
      redirects: [],
      baseUrl: '',
    };
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    // A slicer whose slices are always over: every page hands the event loop back.
    const resolver = await createLinkResolverInSlices(large, createTimeSlicer(0));
    clearInterval(ticking);
    expect(resolver.resolveLink('/page-19999', { file: 'page-0.md', permalink: '/page-0/' })).toEqual({ kind: 'page', href: '/page-19999/' });
    expect(turns).toBeGreaterThan(2);
  });
});
