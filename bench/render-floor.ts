/**
 * The render's floor, for `npm run bench:ingest`: how much of a cold start no unified + remark
 * pipeline can avoid. On a sample of the synthetic site's pages, in this process, after a warm-up,
 * it takes the CPU time of remark's parse alone (remark-parse: micromark's tokenizer and
 * mdast-util-from-markdown, CommonMark only, no plugin: the least work any remark pipeline does to
 * a page) and of the service's whole render of a page (as a render worker runs it: Liquid,
 * markdown, sanitized HTML, sections). Each is then spread, per page, over every core: the time a
 * cold start would need for that work alone if nothing else ran and the cores never waited. The
 * render is also measured on worker threads, one alone and then one a core at once: what the
 * cores really give, which on a shared machine can be far less than their number.
 */
import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { bodyOfSource, readEntry, type PageSource } from '../src/content/entry.ts';
import { createPageRenderer } from '../src/content/render-page.ts';
import { YOUNG_GENERATION_MB } from '../src/content/render-pool.ts';
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
  /** Wall milliseconds per page of the render on one worker thread, and on one per core at once (the least of the rounds). */
  oneThreadMs: number;
  everyCoreMs: number;
  /** Where the render's time goes: a CPU profile of one more round, its samples' own time by package, largest first. */
  profile: { owner: string; share: number }[];
}

/** Measures the floor on `site`, a folder written by writeSyntheticSite with `pages` pages. */
export async function measureRenderFloor(site: string, pages: number): Promise<RenderFloor> {
  const sampled = Math.min(SAMPLED, pages - WARM_UP);
  const { sources, renderPage } = await floorRenderer(site, pages, WARM_UP + sampled);
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
  const profile = await profileOf(async () => {
    for (const source of timed) await render(source);
  });
  const cores = availableParallelism();
  const oneThreadMs = await wallMsPerPage(site, pages, sampled, 1);
  const everyCoreMs = await wallMsPerPage(site, pages, sampled, cores);
  return { parseMs, renderMs, oneThreadMs, everyCoreMs, cores, sampled, rounds: ROUNDS, profile };
}

/**
 * The render as a cold start runs it, measured rather than spread: `threads` worker threads (with
 * the young generation the service's load workers get) render the same sample at once, after the
 * same warm-up; wall milliseconds per page over all of them, the least of the rounds. On one
 * thread it is the single-thread figure; on one a core it shows what the cores really add up to:
 * cores that share a physical core, its caches or memory bandwidth do not give one core's speed each.
 */
async function wallMsPerPage(site: string, pages: number, sampled: number, threads: number): Promise<number> {
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL('./render-floor-worker.mjs', import.meta.url), {
        workerData: { site, pages, warmUp: WARM_UP, sampled },
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB.load },
      }),
  );
  const next = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    let best = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const done = workers.map(next);
      for (const worker of workers) worker.postMessage('go');
      await Promise.all(done);
      best = Math.min(best, (performance.now() - started) / (sampled * threads));
    }
    return best;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Microseconds between two samples of the profile. */
const SAMPLING_INTERVAL_US = 100;

/**
 * Runs `work` under V8's sampling profiler (the inspector, in this process) and sums each
 * sample's own time by who owns its function: the npm package of its file, the service's own
 * code, or V8 itself (the garbage collector, code not attributed to a function).
 */
async function profileOf(work: () => Promise<void>): Promise<RenderFloor['profile']> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    const ownerOf = new Map(profile.nodes.map((node) => [node.id, ownerOfFrame(node.callFrame.functionName, node.callFrame.url)]));
    const time = new Map<string, number>();
    let total = 0;
    profile.samples?.forEach((id, at) => {
      const delta = profile.timeDeltas?.[at] ?? 0;
      const owner = ownerOf.get(id)!;
      time.set(owner, (time.get(owner) ?? 0) + delta);
      total += delta;
    });
    return [...time].map(([owner, spent]) => ({ owner, share: spent / total })).sort((a, b) => b.share - a.share);
  } finally {
    session.disconnect();
  }
}

function ownerOfFrame(functionName: string, url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  // micromark is a family of small packages (its tokenizer, constructs and utilities): one owner.
  if (inPackage) return inPackage[1].startsWith('micromark') ? 'micromark, micromark-* (tokenizing markdown)' : inPackage[1];
  if (url.includes('/src/') || url.includes('/schemas/')) return "the service's own code (src/, schemas/)";
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url.startsWith('node:')) return 'Node.js';
  return 'V8 built-ins and runtime (no file)';
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

/**
 * The service's renderer as a render worker has it for the synthetic site (every page linkable),
 * and the first `count` pages of the site read as the render takes them.
 */
export async function floorRenderer(site: string, pages: number, count: number) {
  const rules = await loadSiteRules(site);
  const sources: PageSource[] = [];
  for (let i = 0; i < count; i++) {
    const file = `page-${i}.md`;
    const text = await readFile(path.join(site, file), 'utf8');
    const { entry } = readEntry(rules, file, text, 0, '');
    if (!entry) throw new Error(`${file} of the synthetic site did not read as a page`);
    sources.push({ entry, body: bodyOfSource(text) });
  }
  const renderPage = createPageRenderer(rules, {
    pages: Array.from({ length: pages }, (_, i) => ({ file: `page-${i}.md`, slug: `page-${i}`, permalink: `/page-${i}/` })),
    redirects: [],
    baseUrl: '',
    documents: [],
  });
  return { sources, renderPage };
}
