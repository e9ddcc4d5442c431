/**
 * `npx tsx bench/search.ts`: query time of the search index at 100 and at 2,000 synthetic pages,
 * and the ratio. Pages are generated with a Zipf-distributed vocabulary (a few words everywhere,
 * most words rare) and each names its own package, as real sites do; they are loaded through the
 * real loader. Each query is timed against the index itself (the response memo is bypassed), as
 * the median of many runs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createContentLoader } from '../src/content/load.ts';
import { buildView } from '../src/content/view.ts';
import type { PageSearch } from '../src/model/search.ts';

const SIZES = [100, 2000];
const VOCABULARY = 3000;
const RUNS = 300;

/** A small deterministic PRNG (mulberry32), so both sites share their words. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const syllables = ['ka', 'lo', 'mi', 'ren', 'to', 'sha', 'vi', 'dor', 'pe', 'lu', 'gan', 'ti', 'bo', 'sel', 'ra', 'nu', 'fe', 'zim'];
const wordRandom = random(7);
const words = Array.from({ length: VOCABULARY }, (_, i) => {
  let word = '';
  for (let s = 0; s < 2 + (i % 3); s++) word += syllables[Math.floor(wordRandom() * syllables.length)];
  return `${word}${String.fromCharCode(97 + (i % 26))}`;
});
/** Zipf: the word of rank r is drawn with probability ∝ 1/r. */
const cumulative = words
  .map((_, rank) => 1 / (rank + 1))
  .map(
    (
      (sum) => (weight: number) =>
        (sum += weight)
    )(0),
  );
const zipf = (next: () => number) => {
  const target = next() * cumulative.at(-1)!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] < target) low = middle + 1;
    else high = middle;
  }
  return words[low];
};
const packageName = (i: number) =>
  `${words[(i * 7919) % VOCABULARY].replace(/[^a-z]/g, '')}plot${String.fromCharCode(97 + (i % 26), 97 + (Math.floor(i / 26) % 26), 97 + (Math.floor(i / 676) % 26))}`;

function page(i: number): string {
  const next = random(1000 + i);
  const sentence = (length: number) => Array.from({ length }, () => zipf(next)).join(' ');
  const sections = Array.from(
    { length: 4 },
    (_, s) => `## ${sentence(3)}\n\n${sentence(60)}${s === 1 ? ` The ${packageName(i)} package does it.` : ''}\n\n${sentence(40)}\n`,
  );
  return `---\ntitle: "Page ${i}: ${sentence(3)}"\npermalink: /page-${i}/\n---\n\n${sentence(30)}\n\n${sections.join('\n')}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeQuery(search: PageSearch, q: string): number {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    search.search({ q, limit: 10, offset: 0 });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

const target = packageName(42);
const queries: [string, string][] = [
  ['package name', target],
  ['package name, misspelt', target.slice(0, 3) + target.slice(4)],
  ['package name, first letters', target.slice(0, -2)],
  ['rare word', words[2500]],
  ['common word (on most pages)', words[0]],
];

const results = new Map<string, number[]>();
const work = await mkdtemp(path.join(tmpdir(), 'bench-search-'));
try {
  for (const size of SIZES) {
    const dir = path.join(work, `site-${size}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: size }, (_, i) => writeFile(path.join(dir, `page-${i}.md`), page(i))));
    const loader = createContentLoader(dir);
    let started = performance.now();
    const first = await loader.load();
    const loadMs = performance.now() - started;
    // A view built from scratch, with its search indexes (the loader's pages reused).
    started = performance.now();
    void buildView([...first.published.pages].reverse().slice(0, Math.floor(size / 2)), first.published.redirects, 'published').search;
    const freshViewMs = performance.now() - started;
    // One page edited: the indexes follow by discarding and adding its documents.
    await writeFile(path.join(dir, 'page-7.md'), page(7).replace('## ', '## Edited heading\n\n## '));
    started = performance.now();
    const snapshot = await loader.load(['page-7.md']);
    const updateMs = performance.now() - started;
    const { search } = snapshot.published;
    if (!search.search({ q: target, limit: 10, offset: 0 }).items.some((hit) => hit.slug === 'page-42'))
      throw new Error(`"${target}" did not find page-42`);
    process.stdout.write(
      `${size} pages: cold load ${Math.round(loadMs)} ms; a view with fresh indexes of ${Math.floor(size / 2)} pages ${Math.round(freshViewMs)} ms; ` +
        `reload after editing one page ${Math.round(updateMs)} ms\n`,
    );
    for (const [name, q] of queries) {
      timeQuery(search, q); // warm up
      const ms = timeQuery(search, q);
      const matches = search.search({ q, limit: 10, offset: 0 }).total;
      results.set(name, [...(results.get(name) ?? []), ms, matches]);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

console.log(`\n| query | ${SIZES.map((size) => `${size} pages`).join(' | ')} | ratio |`);
console.log(`| --- | ${SIZES.map(() => '---').join(' | ')} | --- |`);
for (const [name] of queries) {
  const [smallMs, smallMatches, largeMs, largeMatches] = results.get(name)!;
  console.log(
    `| ${name} | ${smallMs.toFixed(3)} ms (${smallMatches} hits) | ${largeMs.toFixed(3)} ms (${largeMatches} hits) | ${(largeMs / smallMs).toFixed(2)} |`,
  );
}
