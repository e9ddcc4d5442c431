import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IDENTIFIER_LENGTH } from '../../schemas/identifier.ts';
import { appFor } from '../helpers/app.ts';

// A layout and a collection label longer than the 100 characters the filters used to take, one
// at the limit every listed value has, and layouts past it (written, and from the defaults).
const longLayout = 'l'.repeat(150);
const atLimit = 'm'.repeat(MAX_IDENTIFIER_LENGTH);
const tooLong = 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1);
const fromDefaults = 'd'.repeat(MAX_IDENTIFIER_LENGTH + 20);
const label = 'c'.repeat(150);
// A collection whose label no `type` filter takes: left out, and said so at its label.
const labelTooLong = 'k'.repeat(MAX_IDENTIFIER_LENGTH + 1);

describe('the layout and type filters of /v1/pages and /v1/search take every value a page is listed with', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'layout-filter-'));
    const page = (title: string, layout?: string) =>
      ['---', `title: ${title}`, ...(layout === undefined ? [] : [`layout: ${layout}`]), '---', '', 'A body about filters.', ''].join('\n');
    await writeFile(
      path.join(dir, '_config.yml'),
      [
        'collections:',
        `  ${label}:`,
        '    output: true',
        `  ${labelTooLong}:`,
        '    output: true',
        'defaults:',
        '  - scope:',
        '      path: notes',
        '    values:',
        `      layout: ${fromDefaults}`,
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'long.md'), page('Long layout', longLayout));
    await writeFile(path.join(dir, 'limit.md'), page('Layout at the limit', atLimit));
    await writeFile(path.join(dir, 'too-long.md'), page('Layout too long', tooLong));
    await mkdir(path.join(dir, 'notes'));
    await writeFile(path.join(dir, 'notes', 'note.md'), page('A note'));
    await mkdir(path.join(dir, `_${label}`));
    await writeFile(path.join(dir, `_${label}`, 'item.md'), page('An item'));
    await mkdir(path.join(dir, `_${labelTooLong}`));
    await writeFile(path.join(dir, `_${labelTooLong}`, 'unlisted.md'), page('An unlisted item'));
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const slugsOf = async (url: string) => {
    const response = await app.inject(url);
    expect(response.statusCode, url).toBe(200);
    return (response.json().items as { slug: string }[]).map((item) => item.slug).sort();
  };

  it('filters /v1/pages by a layout or a type of up to 200 characters', async () => {
    expect(await slugsOf(`/v1/pages?${new URLSearchParams({ layout: longLayout })}`)).toEqual(['long']);
    expect(await slugsOf(`/v1/pages?${new URLSearchParams({ layout: atLimit })}`)).toEqual(['limit']);
    expect(await slugsOf(`/v1/pages?${new URLSearchParams({ type: label })}`)).toEqual(['item']);
  });

  it('filters /v1/search the same way', async () => {
    const hits = async (filter: Record<string, string>) => {
      const response = await app.inject(`/v1/search?${new URLSearchParams({ q: 'filters', ...filter })}`);
      expect(response.statusCode).toBe(200);
      return (response.json().items as { slug: string }[]).map((hit) => hit.slug);
    };
    expect(await hits({ layout: longLayout })).toEqual(['long']);
    expect(await hits({ type: label })).toEqual(['item']);
  });

  it('refuses a longer filter value with 400 naming the parameter', async () => {
    for (const url of ['/v1/pages', '/v1/search?q=filters']) {
      for (const name of ['layout', 'type']) {
        const refused = await app.inject(`${url}${url.includes('?') ? '&' : '?'}${name}=${tooLong}`);
        expect(refused.statusCode, `${url} ${name}`).toBe(400);
        expect(refused.json().detail).toContain(name);
      }
    }
  });

  it('lists a page whose layout no filter takes without it, serves its front matter as written, and says why where the layout is set', async () => {
    const listed = (await app.inject('/v1/pages?limit=100')).json().items as { slug: string; layout: string | null }[];
    const layoutOf = (slug: string) => listed.find((item) => item.slug === slug)?.layout;
    expect(layoutOf('long')).toBe(longLayout);
    expect(layoutOf('too-long')).toBeNull();
    expect(layoutOf('note')).toBeNull();
    const page = (await app.inject('/v1/pages/too-long')).json();
    expect(page.layout).toBeNull();
    expect(page.front_matter.layout).toBe(tooLong);

    const { diagnostics } = (await app.inject('/v1/diagnostics')).json();
    const warnings = (diagnostics as Record<string, unknown>[]).filter((diagnostic) => diagnostic.code === 'layout-not-routable');
    expect(warnings.map(({ severity, file, line, column, field }) => ({ severity, file, line, column, field }))).toEqual([
      { severity: 'warning', file: 'notes/note.md', line: 1, column: 1, field: 'layout' },
      { severity: 'warning', file: 'too-long.md', line: 3, column: 1, field: 'layout' },
    ]);
    expect(warnings[1].message).toBe(
      `the layout "${'x'.repeat(60)}…" is 201 characters long, and /v1/pages?layout= takes at most 200, so the page is listed without a layout`,
    );
    expect(warnings[0].message).toContain('(it comes from the front-matter defaults of _config.yml)');
  });

  it('leaves out a collection whose label no type filter takes, with an error at its label in _config.yml', async () => {
    const listed = (await app.inject('/v1/pages?limit=100')).json().items as { slug: string; collection: string | null }[];
    expect(listed.map((item) => item.slug)).not.toContain('unlisted');
    expect(listed.every((item) => item.collection === null || item.collection.length <= MAX_IDENTIFIER_LENGTH)).toBe(true);
    expect((await app.inject('/v1/pages/unlisted')).statusCode).toBe(404);

    const { diagnostics } = (await app.inject('/v1/diagnostics')).json();
    const errors = (diagnostics as Record<string, unknown>[]).filter((diagnostic) => diagnostic.code === 'collection-not-routable');
    expect(errors.map(({ severity, file, line, column, field }) => ({ severity, file, line, column, field }))).toEqual([
      { severity: 'error', file: '_config.yml', line: 4, column: 3, field: 'collections' },
    ]);
    expect(errors[0].message).toContain(`the collection "${'k'.repeat(60)}…" has a label 201 characters long`);
    expect(errors[0].message).toContain(`nothing in _${'k'.repeat(79)}…/ is served`);
  });
});
