import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import { runAtOnce } from '../../src/content/steps.ts';
import { hasCloseIndex } from '../../src/search/incremental-index.ts';
import { decodeIndex, encodeIndex, indexFileOf } from '../../src/search/index-file.ts';
import { SearchIndex } from '../../src/search/search-index.ts';
import { buildSiteIndex, restoreSiteIndex, saveSiteIndex } from '../../src/search/site-index.ts';
import { bundledContent } from '../helpers/app.ts';

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const options = { idField: 'id', fields: ['title', 'text'], storeFields: [] };
const queries = ['review', 'packag', 'pyton', 'community python', 'zzqx'];
const found = <T>(index: SearchIndex<T>, q: string) =>
  index.search(q, { prefix: true, fuzzy: 0.2 }).map(({ id, score, match }) => ({ id, score: score.toFixed(9), match }));

describe('a saved search index', () => {
  it('restores to an index that finds and scores exactly what the saved one did, and goes on taking documents', () => {
    const index = new SearchIndex<{ id: string; title: string; text: string }>(options);
    for (let i = 0; i < 300; i++)
      index.add({
        id: `doc-${i}`,
        title: `Page ${i}`,
        text: `peer review of python package ${i % 7} by the community ${'é'.repeat(i % 3)}`,
      });
    // Removed documents leave dirt behind until a vacuum: it is saved as it is.
    for (let i = 0; i < 300; i += 10) index.discard(`doc-${i}`);
    const key = randomBytes(32);
    const bytes = runAtOnce(encodeIndex(runAtOnce(index.state()), 'version-1', key));
    const decoded = runAtOnce(decodeIndex(bytes, key));
    expect(decoded?.key).toBe('version-1');
    const restored = runAtOnce(SearchIndex.restoring(options, decoded!.state))!;
    expect(restored.documentCount).toBe(index.documentCount);
    for (const q of queries) expect(found(restored, q), q).toEqual(found(index, q));
    restored.add({ id: 'doc-new', title: 'Quokka', text: 'review' });
    expect(restored.search('quokka').map((hit) => hit.id)).toEqual(['doc-new']);
  });

  it('is refused when a byte changed, under another pack key, or cut short', () => {
    const index = new SearchIndex<{ id: string; title: string; text: string }>(options);
    for (let i = 0; i < 50; i++) index.add({ id: `doc-${i}`, title: `Page ${i}`, text: 'peer review' });
    const key = randomBytes(32);
    const bytes = runAtOnce(encodeIndex(runAtOnce(index.state()), 'v', key));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 1;
    expect(runAtOnce(decodeIndex(flipped, key))).toBeNull();
    expect(runAtOnce(decodeIndex(bytes, randomBytes(32)))).toBeNull();
    expect(runAtOnce(decodeIndex(bytes.subarray(0, bytes.length - 4), key))).toBeNull();
    expect(runAtOnce(decodeIndex(Buffer.from('not an index'), key))).toBeNull();
  });

  it('is restored for the content version and code it was saved for, and only then', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'saved-index-'));
    const content = path.join(dir, 'content');
    const cache = path.join(dir, 'cache');
    await cp(bundledContent, content, { recursive: true });
    const place = { dir: cache, root: content, packKey: randomBytes(32) };
    await mkdir(cache);
    const first = await createContentLoader(content).load();
    // No index of these pages yet: nothing to save.
    expect(await saveSiteIndex(place, first.version, first.published.pages)).toBe(false);
    const expected = buildSiteIndex(first.published.pages, 'published');
    const answers = queries.map((q) => found(expected.index, q));
    expect(await saveSiteIndex(place, first.version, first.published.pages)).toBe('written');
    // Saved again (another shutdown of this process): the file holds it already, nothing is written.
    const saved = await stat(indexFileOf(cache, content));
    expect(await saveSiteIndex(place, first.version, first.published.pages)).toBe('unchanged');
    expect((await stat(indexFileOf(cache, content))).mtimeMs).toBe(saved.mtimeMs);

    // Another process's load of the same content: new records, the same version.
    const second = await createContentLoader(content).load();
    expect(second.version).toBe(first.version);
    expect(await restoreSiteIndex(place, 'another-version', second.published.pages)).toBe(false);
    expect(await restoreSiteIndex({ ...place, packKey: randomBytes(32) }, second.version, second.published.pages)).toBe(false);
    expect(hasCloseIndex('site:published', second.published.pages)).toBe(false);
    expect(await restoreSiteIndex(place, second.version, second.published.pages)).toBe(true);
    expect(hasCloseIndex('site:published', second.published.pages)).toBe(true);
    const restored = buildSiteIndex(second.published.pages, 'published');
    expect(queries.map((q) => found(restored.index, q))).toEqual(answers);

    // A file someone else wrote there is never restored.
    const file = indexFileOf(cache, content);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(file, bytes);
    expect(await restoreSiteIndex(place, second.version, second.published.pages)).toBe(false);
  });
});
