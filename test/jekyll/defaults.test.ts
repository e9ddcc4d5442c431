import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyDefaults, matchingDefaults } from '../../src/jekyll/defaults.ts';
import { readJekyllSite } from '../../src/jekyll/site-config.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site', import.meta.url));

describe('applyDefaults', () => {
  it("gives corpus posts the site's post defaults, front matter winning", async () => {
    const { config } = (await readJekyllSite(corpus))!;
    const target = { path: '_posts/2024-07-10-automata.md', type: 'posts' };
    expect(applyDefaults(config.defaults, target, { layout: 'splash', comments: true })).toEqual({
      layout: 'splash',
      author_profile: true,
      read_time: true,
      comments: true,
      share: true,
      related: true,
    });
    expect(applyDefaults(config.defaults, { path: '_pages/learn.md', type: 'pages' }, { title: 'Learn' })).toEqual({ title: 'Learn' });
  });

  it('lets a null front matter value keep the default, and merges nested mappings key by key', () => {
    const defaults = [
      { scope: { path: '' }, values: { layout: 'single', header: { overlay_color: '#333', teaser: 't.png' }, tags: ['a'] } },
    ];
    const merged = applyDefaults(defaults, { path: 'x.md', type: 'pages' }, { layout: null, header: { teaser: 'mine.png' }, tags: ['b'] });
    expect(merged).toEqual({ layout: 'single', header: { overlay_color: '#333', teaser: 'mine.png' }, tags: ['b'] });
  });

  it('lets the more specific scope win whatever the order', () => {
    const defaults = [
      { scope: { path: '_pages/guides' }, values: { layout: 'guide', toc: true } },
      { scope: { path: '_pages' }, values: { layout: 'page', sidebar: 'main' } },
      { scope: { path: '' }, values: { layout: 'default', share: true } },
    ];
    expect(applyDefaults(defaults, { path: '_pages/guides/a.md', type: 'pages' }, {})).toEqual({
      layout: 'guide',
      toc: true,
      sidebar: 'main',
      share: true,
    });
    expect(applyDefaults(defaults, { path: '_pages/other.md', type: 'pages' }, {})).toMatchObject({ layout: 'page' });
    expect(applyDefaults(defaults, { path: 'about.md', type: 'pages' }, {})).toEqual({ layout: 'default', share: true });
  });

  it('prefers, for the same path, the set that names a type', () => {
    const defaults = [
      { scope: { path: '', type: 'posts' }, values: { layout: 'post' } },
      { scope: { path: '' }, values: { layout: 'default' } },
    ];
    expect(matchingDefaults(defaults, { path: '_posts/a.md', type: 'posts' })).toEqual({ layout: 'post' });
    expect(matchingDefaults(defaults, { path: 'a.md', type: 'pages' })).toEqual({ layout: 'default' });
  });

  it('matches type names, including the deprecated singular ones, and collection labels', () => {
    const defaults = [
      { scope: { type: 'post' }, values: { kind: 'post' } },
      { scope: { type: 'packages' }, values: { kind: 'package' } },
    ];
    expect(matchingDefaults(defaults, { path: '_posts/a.md', type: 'posts' })).toEqual({ kind: 'post' });
    expect(matchingDefaults(defaults, { path: '_packages/a.md', type: 'packages' })).toEqual({ kind: 'package' });
    expect(matchingDefaults(defaults, { path: 'a.md', type: 'pages' })).toEqual({});
  });

  it('matches scope paths as plain prefixes or globs, and not with a leading slash (as Jekyll)', () => {
    const at = (scopePath: string, path: string) =>
      matchingDefaults([{ scope: { path: scopePath }, values: { hit: true } }], { path, type: 'pages' }).hit === true;
    expect(at('_pages/about', '_pages/about-us.md')).toBe(true);
    expect(at('_pages/*/index.md', '_pages/guides/index.md')).toBe(true);
    expect(at('_pages/*', '_pages/guides/deep/a.md')).toBe(true);
    expect(at('_posts/**/2024-*', '_posts/events/2024-01-01-a.md')).toBe(true);
    expect(at('_pages/*.html', '_pages/a.md')).toBe(false);
    expect(at('/_pages', '_pages/a.md')).toBe(false);
    expect(at('_pages', '/_pages/a.md')).toBe(true);
  });

  it('unites categories of defaults and front matter for documents, not for pages', () => {
    const defaults = [{ scope: { path: '' }, values: { categories: 'news blog' } }];
    expect(applyDefaults(defaults, { path: '_posts/a.md', type: 'posts' }, { categories: ['blog', 'events'] })).toEqual({
      categories: ['news', 'blog', 'events'],
    });
    expect(applyDefaults(defaults, { path: 'a.md', type: 'pages' }, { categories: ['events'] })).toEqual({ categories: ['events'] });
  });

  it('ignores malformed sets and never shares objects with its inputs', () => {
    const values = { header: { image: 'a.png' } };
    const defaults = [null, 'x', { scope: { path: '' } }, { values: 'nope' }, { values }];
    const merged = applyDefaults(defaults, { path: 'a.md', type: 'pages' }, {});
    expect(merged).toEqual({ header: { image: 'a.png' } });
    (merged.header as Record<string, unknown>).image = 'changed';
    expect(values.header.image).toBe('a.png');
    expect(applyDefaults(undefined, { path: 'a.md', type: 'pages' }, { a: 1 })).toEqual({ a: 1 });
  });
});
