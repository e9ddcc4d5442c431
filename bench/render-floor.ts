/**
 * The render's floor, for `npm run bench:ingest`: how much of a cold start no unified + remark
 * pipeline can avoid. On a sample of the synthetic site's pages, in this process, after a warm-up,
 * it takes the CPU time of remark's parse alone (remark-parse: micromark's tokenizer and
 * mdast-util-from-markdown, CommonMark only, no plugin: the least work any remark pipeline does to
 * a page) and of the service's whole render of a page (as a render worker runs it: Liquid,
 * markdown, sanitized HTML, sections). Each is then spread, per page, over every core: the time a
 * cold start would need for that work alone if nothing else ran and the cores never waited.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { bodyOfSource, readEntry, type PageSource } from '../src/content/entry.ts';
import { createPageRenderer } from '../src/content/render-page.ts';
import { loadSiteRules } from '../src/content/site-rules-loader.ts';

/** Pages rendered before timing starts (a fresh isolate's first renders run unoptimized code). */
const WARM_UP = 150;
/** Pages timed, in each of the rounds. */
const SAMPLED = 300;
const ROUNDS = 3;

export interface RenderFloor {
  /** CPU milliseconds per page of remark's parse alone (the least of the rounds). */
  parseMs: number;
  /** CPU milliseconds per page of the service's render (the least of the rounds). */
  renderMs: number;
  /** Cores the work is spread over (os.availableParallelism()). */
  cores: number;
  /** Pages timed per round. */
  sampled: number;
  /** Rounds timed. */
  rounds: number;
}

/** Measures the floor on `site`, a folder written by writeSyntheticSite with `pages` pages. */
export async function measureRenderFloor(site: string, pages: number): Promise<RenderFloor> {
  const rules = await loadSiteRules(site);
  const sampled = Math.min(SAMPLED, pages - WARM_UP);
  const sources: PageSource[] = [];
  for (let i = 0; i < WARM_UP + sampled; i++) {
    const file = `page-${i}.md`;
    const text = await readFile(path.join(site, file), 'utf8');
    const { entry } = readEntry(rules, file, text, 0);
    if (!entry) throw new Error(`${file} of the synthetic site did not read as a page`);
    sources.push({ ...entry, body: bodyOfSource(text) });
  }
  const renderPage = createPageRenderer(rules, {
    pages: Array.from({ length: pages }, (_, i) => ({ file: `page-${i}.md`, slug: `page-${i}`, permalink: `/page-${i}/` })),
    redirects: [],
    baseUrl: '',
    documents: [],
  });
  const remark = unified().use(remarkParse);
  const parse = async (source: PageSource) => {
    remark.parse(source.body);
  };
  const render = async (source: PageSource) => {
    await renderPage(source);
  };
  const warmUp = sources.slice(0, WARM_UP);
  const timed = sources.slice(WARM_UP);
  for (const step of [parse, render]) for (const source of warmUp) await step(source);
  let parseMs = Infinity;
  let renderMs = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    parseMs = Math.min(parseMs, await cpuMsPerPage(timed, parse));
    renderMs = Math.min(renderMs, await cpuMsPerPage(timed, render));
  }
  return { parseMs, renderMs, cores: availableParallelism(), sampled, rounds: ROUNDS };
}

/** CPU time (user and system, this process) per page of `step` over `sources`, in milliseconds. */
async function cpuMsPerPage(sources: PageSource[], step: (source: PageSource) => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  for (const source of sources) await step(source);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / sources.length;
}

/** The seconds `msPerPage` takes for `pages` pages spread evenly over `cores`. */
export function spreadSeconds(msPerPage: number, pages: number, cores: number): number {
  return (msPerPage * pages) / cores / 1000;
}
