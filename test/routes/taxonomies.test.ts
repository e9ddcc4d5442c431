import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import { appFor } from '../helpers/app.ts';

/** A term as /v1/categories and /v1/tags list it. */
interface ListedTerm {
  name: string;
  slug: string;
  count: number;
  pages: string;
}

// Names at the routes' limit and past it: in ASCII, in a script whose slug is as long as the
// name, and names of punctuation only (their own slug).
const atLimit = 'c'.repeat(MAX_IDENTIFIER_LENGTH);
const longAscii = 'a'.repeat(MAX_IDENTIFIER_LENGTH - 50);
const cjk = '分类'.repeat(MAX_IDENTIFIER_LENGTH / 2);
const tooLong = 't'.repeat(MAX_IDENTIFIER_LENGTH + 1);
const cjkTooLong = '标签'.repeat(MAX_IDENTIFIER_LENGTH);
// 150 characters whose slug is 300: lower-casing İ gives i and a combining dot.
const slugTooLong = 'İ'.repeat(150);

describe('GET /v1/categories and /v1/tags: every term listed can be fetched', () => {
  let dir: string;
  let app: FastifyInstance;
  const categoriesLine = `categories: [${longAscii}, "${cjk}", "${atLimit}", "!!!", ".", "${slugTooLong}"]`;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'terms-'));
    await writeFile(
      path.join(dir, 'long.md'),
      [
        '---',
        'title: Long terms',
        categoriesLine,
        'tags:',
        '  - short',
        `  - ${tooLong}`,
        `  - "${cjkTooLong}"`,
        '  - ".."',
        '---',
        '',
        'Body.',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'other.md'), `---\ntitle: Other\ncategories: ${longAscii}\ntags: [short]\n---\n\nBody.\n`);
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const kind of ['categories', 'tags'] as const) {
    it(`answers 200 at the pages link and the slug of every term /v1/${kind} lists, with the pages that have it`, async () => {
      const { items } = (await app.inject(`/v1/${kind}`)).json<{ items: ListedTerm[] }>();
      expect(items.length).toBeGreaterThan(0);
      for (const term of items) {
        const list = await app.inject(term.pages);
        expect(list.statusCode, term.pages).toBe(200);
        expect(list.json().total, term.pages).toBe(term.count);
        const one = await app.inject(`/v1/${kind}/${encodeURIComponent(term.slug)}`);
        expect(one.statusCode, term.slug).toBe(200);
        expect(one.json()).toMatchObject({ name: term.name, slug: term.slug, count: term.count });
      }
    });
  }

  it('lists the names the routes take, up to 200 characters, and leaves out those they do not', async () => {
    const names = async (kind: string) => ((await app.inject(`/v1/${kind}`)).json().items as ListedTerm[]).map((term) => term.name).sort();
    expect(await names('categories')).toEqual([longAscii, cjk, atLimit, '!!!'].sort());
    expect(await names('tags')).toEqual(['short']);
    const page = (await app.inject('/v1/pages/long')).json();
    expect(page.categories).toEqual([longAscii, cjk, atLimit, '!!!']);
    expect(page.tags).toEqual(['short']);
    // Front matter is served as written.
    expect(page.front_matter.tags).toEqual(['short', tooLong, cjkTooLong, '..']);
  });

  it('reports each term left out with a term-not-routable warning at its item: file, line, column and field', async () => {
    const { diagnostics } = (await app.inject('/v1/diagnostics')).json();
    const warnings = diagnostics.filter((diagnostic: { code: string }) => diagnostic.code === 'term-not-routable');
    expect(
      warnings.map(({ severity, file, line, column, field }: Record<string, unknown>) => ({ severity, file, line, column, field })),
    ).toEqual([
      { severity: 'warning', file: 'long.md', line: 3, column: categoriesLine.indexOf('"."') + 1, field: 'categories[4]' },
      { severity: 'warning', file: 'long.md', line: 3, column: categoriesLine.indexOf(`"${slugTooLong}"`) + 1, field: 'categories[5]' },
      { severity: 'warning', file: 'long.md', line: 6, column: 5, field: 'tags[1]' },
      { severity: 'warning', file: 'long.md', line: 7, column: 5, field: 'tags[2]' },
      { severity: 'warning', file: 'long.md', line: 8, column: 5, field: 'tags[3]' },
    ]);
    expect(warnings[2].message).toBe(
      `the tag "${'t'.repeat(60)}…" is left out of the page's tags and of /v1/tags: its name is 201 characters long, and /v1/pages?tag= takes at most 200`,
    );
    expect(warnings[0].message).toContain('its slug is ".", which a URL cannot carry as a path segment');
    expect(warnings[1].message).toContain('its slug is 300 characters long, and /v1/categories/{slug} takes at most 200');
  });

  it('filters /v1/pages by a category or tag of up to 200 characters, and refuses a longer one with 400 naming the parameter', async () => {
    expect((await app.inject(`/v1/pages?${new URLSearchParams({ category: atLimit })}`)).json().total).toBe(1);
    const refused = await app.inject(`/v1/pages?${new URLSearchParams({ tag: tooLong })}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('tag');
  });
});

describe('categories of a Jekyll post: folders above _posts and a space-separated string', () => {
  let dir: string;
  let app: FastifyInstance;
  const folder = 'f'.repeat(MAX_IDENTIFIER_LENGTH + 10);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jekyll-terms-'));
    await writeFile(path.join(dir, '_config.yml'), 'title: Site\n');
    await mkdir(path.join(dir, folder, '_posts'), { recursive: true });
    await writeFile(
      path.join(dir, folder, '_posts', '2024-01-02-post.md'),
      `---\ntitle: Post\ncategories: news ${tooLong}\n---\n\nBody.\n`,
    );
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists only the categories the routes take, each fetchable, and points each warning at its source', async () => {
    const { items } = (await app.inject('/v1/categories')).json<{ items: ListedTerm[] }>();
    expect(items.map((term) => term.name)).toEqual(['news']);
    for (const term of items) {
      expect((await app.inject(term.pages)).statusCode).toBe(200);
      expect((await app.inject(`/v1/categories/${encodeURIComponent(term.slug)}`)).statusCode).toBe(200);
    }
    const { diagnostics } = (await app.inject('/v1/diagnostics')).json();
    const warnings = diagnostics.filter((diagnostic: { code: string }) => diagnostic.code === 'term-not-routable');
    const file = `${folder}/_posts/2024-01-02-post.md`;
    expect(warnings.map(({ file, line, column, field }: Record<string, unknown>) => ({ file, line, column, field }))).toEqual([
      { file, line: 1, column: 1, field: null },
      { file, line: 3, column: 1, field: 'categories' },
    ]);
    expect(warnings[0].message).toContain('(it is the name of a folder above _posts)');
    expect(warnings[0].hint).toContain('Rename the folder');
  });
});
