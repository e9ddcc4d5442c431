import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  collectionPermalinkTemplate,
  documentUrl,
  documentUrlPlaceholders,
  expandPermalink,
  pageUrl,
  postInfoFromFilename,
  slugifyLikeJekyll,
} from '../../src/jekyll/permalink.ts';
import { parseJekyllYaml } from '../../src/jekyll/site-config.ts';

const corpus = fileURLToPath(new URL('../fixtures/pyopensci-site', import.meta.url));

const post = {
  collection: 'posts',
  relativePath: '_posts/2009-04-24-Hello World.md',
  categories: ['Ruby', 'web'],
  date: { year: 2009, month: 4, day: 24, hour: 9, minute: 5, second: 7 },
};

describe('expandPermalink', () => {
  const vars = documentUrlPlaceholders(post);

  it('expands the built-in styles as Jekyll 4 does', () => {
    expect(expandPermalink('date', vars)).toBe('/ruby/web/2009/04/24/Hello-World.html');
    expect(expandPermalink('pretty', vars)).toBe('/ruby/web/2009/04/24/Hello-World/');
    expect(expandPermalink('ordinal', vars)).toBe('/ruby/web/2009/114/Hello-World.html');
    expect(expandPermalink('weekdate', vars)).toBe('/ruby/web/2009/W17/Fri/Hello-World.html');
    expect(expandPermalink('none', vars)).toBe('/ruby/web/Hello-World.html');
  });

  it('expands every date placeholder', () => {
    expect(expandPermalink('/:year/:short_year/:month/:i_month/:short_month/:long_month/', vars)).toBe('/2009/09/04/4/Apr/April/');
    expect(expandPermalink('/:day/:i_day/:hour/:minute/:second/:y_day/', vars)).toBe('/24/24/09/05/07/114/');
    expect(expandPermalink('/:w_year/:week/:w_day/:short_day/:long_day/', vars)).toBe('/2009/17/5/Fri/Friday/');
    const newYear = documentUrlPlaceholders({ ...post, date: { year: 2021, month: 1, day: 1 } });
    expect(expandPermalink('/:w_year-W:week-:w_day/:year', newYear)).toBe('/2020-W53-5/2021');
  });

  it('drops empty categories and repeated slashes', () => {
    const uncategorised = documentUrlPlaceholders({ ...post, categories: [] });
    expect(expandPermalink('/:categories/:title/', uncategorised)).toBe('/Hello-World/');
    expect(expandPermalink('blog//:title.html', uncategorised)).toBe('/blog/Hello-World.html');
  });

  it('reads :month_ as :month followed by an underscore', () => {
    expect(expandPermalink('/:year/:month_:day/', vars)).toBe('/2009/04_24/');
  });

  it('escapes what may not appear in a URL path and strips ".." segments', () => {
    expect(expandPermalink('/:slug/', { slug: 'a b#ü' })).toBe('/a%20b%23%C3%BC/');
    expect(expandPermalink('/a/../:slug', { slug: 'x' })).toBe('/a/x');
  });

  it('stops on a placeholder the document does not have, as Jekyll stops the build', () => {
    expect(() => expandPermalink('/:nope/', vars)).toThrow(/:nope/);
    const undated = documentUrlPlaceholders({ collection: 'packages', relativePath: '_packages/x.md' });
    expect(() => expandPermalink('/:year/', undated)).toThrow(/no date/);
  });
});

describe('documentUrlPlaceholders', () => {
  it('slugifies :title keeping case and pretty characters, :slug and :name plainly', () => {
    const vars = documentUrlPlaceholders({ ...post, slug: 'The _config.yml File' });
    expect(vars).toMatchObject({ title: 'The-_config.yml-File', slug: 'the-config-yml-file', name: '2009-04-24-hello-world' });
  });

  it('gives :path relative to the collection folder and lower-cased, de-duplicated :categories', () => {
    const vars = documentUrlPlaceholders({
      collection: 'packages',
      relativePath: '_packages/geo/Pandera.md',
      categories: ['Data', 'data', 'GEO'],
    });
    expect(vars).toMatchObject({ collection: 'packages', path: '/geo/Pandera', categories: 'data/geo', output_ext: '.html' });
  });
});

describe('documentUrl', () => {
  it('uses the front matter permalink over the collection template, never as a style name', () => {
    const template = collectionPermalinkTemplate('posts', undefined, '/:categories/:title/');
    expect(documentUrl({ ...post, categories: [] }, template)).toBe('/Hello-World/');
    expect(documentUrl({ ...post, permalink: 'blog/welcome/' }, template)).toBe('/blog/welcome/');
    expect(documentUrl({ ...post, permalink: 'pretty' }, template)).toBe('/pretty');
  });

  it('gives collection documents /:collection/:path with the site style ending', () => {
    const document = { collection: 'packages', relativePath: '_packages/pandera.md' };
    expect(documentUrl(document, collectionPermalinkTemplate('packages', undefined, '/:categories/:title/'))).toBe('/packages/pandera/');
    expect(documentUrl(document, collectionPermalinkTemplate('packages', undefined, undefined))).toBe('/packages/pandera.html');
    expect(documentUrl(document, collectionPermalinkTemplate('packages', '/pkg/:name', 'pretty'))).toBe('/pkg/pandera');
  });
});

describe('collectionPermalinkTemplate', () => {
  it('turns the site style into the posts template and derives the others from it', () => {
    expect(collectionPermalinkTemplate('posts', undefined, undefined)).toBe('/:categories/:year/:month/:day/:title:output_ext');
    expect(collectionPermalinkTemplate('posts', undefined, 'pretty')).toBe('/:categories/:year/:month/:day/:title/');
    expect(collectionPermalinkTemplate('docs', undefined, 'pretty')).toBe('/:collection/:path/');
    expect(collectionPermalinkTemplate('docs', undefined, 'weekdate')).toBe('/:collection/:path');
    expect(collectionPermalinkTemplate('docs', undefined, '/:year/:title:output_ext')).toBe('/:collection/:path:output_ext');
  });
});

describe('pageUrl', () => {
  it('gives a page without permalink /:path/:basename with the site style ending', () => {
    expect(pageUrl({ path: '_pages/foo.md' })).toBe('/_pages/foo.html');
    expect(pageUrl({ path: '_pages/foo.md' }, '/:categories/:title/')).toBe('/_pages/foo/');
    expect(pageUrl({ path: '_pages/foo.md' }, 'pretty')).toBe('/_pages/foo/');
    expect(pageUrl({ path: 'about/index.md' }, 'date')).toBe('/about/');
    expect(pageUrl({ path: 'index.html' })).toBe('/');
    expect(pageUrl({ path: 'feed.xml' }, 'pretty')).toBe('/feed.xml');
  });

  it('uses the permalink, with a leading slash added and :basename expanded', () => {
    expect(pageUrl({ path: '_pages/learn.md', permalink: '/learn.html' })).toBe('/learn.html');
    expect(pageUrl({ path: '_pages/x.md', permalink: 'get-involved-contact.html' })).toBe('/get-involved-contact.html');
    expect(pageUrl({ path: '_pages/x.md', permalink: '/:path/:basename:output_ext' })).toBe('/_pages/x.html');
  });
});

describe('postInfoFromFilename', () => {
  it('reads the date and slug of YYYY-MM-DD-slug.md', () => {
    expect(postInfoFromFilename('2024-04-18-rdata-read-r-datasets.md')).toEqual({
      date: '2024-04-18',
      slug: 'rdata-read-r-datasets',
      ext: '.md',
    });
    expect(postInfoFromFilename('_posts/events/2024-6-5-a.b.markdown')).toEqual({ date: '2024-06-05', slug: 'a.b', ext: '.markdown' });
  });

  it('returns null without a date or with a date that does not exist', () => {
    expect(postInfoFromFilename('about.md')).toBeNull();
    expect(postInfoFromFilename('2024-02-30-nope.md')).toBeNull();
    expect(postInfoFromFilename('2024-01-01-no-extension')).toBeNull();
  });

  it('reads every corpus post, with unique slugs', async () => {
    const posts = (await readdir(path.join(corpus, '_posts'), { recursive: true })).filter((name) => name.endsWith('.md')).sort();
    expect(posts).toHaveLength(76);
    const infos = posts.map((name) => ({ name, info: postInfoFromFilename(name) }));
    expect(infos.filter(({ info }) => info === null)).toEqual([]);
    for (const { name, info } of infos) expect(`${info!.date}-${info!.slug}${info!.ext}`).toBe(path.basename(name));
    expect(new Set(infos.map(({ info }) => info!.slug)).size).toBe(76);
    expect(infos.find(({ name }) => name === 'events/2024-08-09-pyopensci-fall-festival.md')!.info).toEqual({
      date: '2024-08-09',
      slug: 'pyopensci-fall-festival',
      ext: '.md',
    });
    expect(infos[0].info).toEqual({ date: '2019-10-25', slug: 'welcome-to-pyopensci', ext: '.md' });
  });
});

describe('slugifyLikeJekyll', () => {
  it("matches Jekyll's documented examples", () => {
    expect(slugifyLikeJekyll('The _config.yml file')).toBe('the-config-yml-file');
    expect(slugifyLikeJekyll('The _config.yml file', { mode: 'pretty' })).toBe('the-_config.yml-file');
    expect(slugifyLikeJekyll('The _config.yml file', { mode: 'pretty', cased: true })).toBe('The-_config.yml-file');
    expect(slugifyLikeJekyll('The _config.yml file', { mode: 'ascii' })).toBe('the-config-yml-file');
    expect(slugifyLikeJekyll('The _config.yml file', { mode: 'raw' })).toBe('the-_config.yml-file');
    expect(slugifyLikeJekyll('Café déjà vu!')).toBe('café-déjà-vu');
  });
});

describe('corpus URLs', () => {
  it('gives all 115 corpus files distinct URLs', async () => {
    const files = (await readdir(corpus, { recursive: true })).filter((name) => name.endsWith('.md'));
    const urls = new Map<string, string>();
    for (const file of files) {
      const text = await readFile(path.join(corpus, file), 'utf8');
      const lines = text.split('\n');
      const end = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
      const frontMatter = parseJekyllYaml(lines.slice(1, end).join('\n'), file, 1).value as Record<string, unknown>;
      const permalink = frontMatter.permalink as string;
      const url = file.startsWith('_posts/')
        ? documentUrl(
            { collection: 'posts', relativePath: file, permalink, categories: frontMatter.categories as string[] },
            '/:categories/:title/',
          )
        : pageUrl({ path: file, permalink }, '/:categories/:title/');
      expect(url.startsWith('/')).toBe(true);
      expect(urls.get(url), url).toBeUndefined();
      urls.set(url, file);
    }
    expect(urls.size).toBe(115);
    expect(urls.get('/blog/welcome-to-pyopensci/')).toBe('_posts/2019-10-25-welcome-to-pyopensci.md');
    expect(urls.get('/')).toBe('_pages/home.md');
  });
});
