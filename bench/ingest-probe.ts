/**
 * One measurement of bench:ingest, in a process of its own so its peak RSS is its own:
 * `cold|warm <dir> <cacheDir>` loads the site, waits for its page bodies to be precompressed and
 * prints JSON figures; `update <dir>` starts the app with watching on, edits one page and prints
 * how long until the edit is served.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { buildApp } from '../src/build-app.ts';
import { syntheticPage } from './synthetic-site.ts';

const [mode, dir, cacheDir] = process.argv.slice(2);
let loopDelayMaxMs = 0;
const started = performance.now();
// The service's own log says when the page bodies of the loaded version are precompressed (or that it failed).
type Precompressed = { pages: number; bytes: number; durationMs: number };
let settle: { resolve: (line: Precompressed) => void; reject: (error: Error) => void };
const precompression = new Promise<Precompressed>((resolve, reject) => (settle = { resolve, reject }));
// Awaited below except in update mode, where a failure must not end the process unhandled.
precompression.catch(() => {});
const log = new Writable({
  write(chunk, _encoding, done) {
    const line = JSON.parse(String(chunk));
    // The longest the event loop was held during any load (the service logs it with each load).
    if (line.msg === 'content loaded') loopDelayMaxMs = Math.max(loopDelayMaxMs, line.loopDelayMaxMs);
    if (line.msg === 'page bodies precompressed') settle.resolve(line);
    else if (String(line.msg).startsWith('precompressing page bodies failed')) settle.reject(new Error(line.msg));
    done();
  },
});
const app = await buildApp(
  { contentDir: dir, cacheDir: cacheDir || null, watch: mode === 'update' },
  { logger: { level: 'info', stream: log } },
);
const loadMs = performance.now() - started;
const pages = app.content.snapshot.published.pages.length;
const figures: Record<string, number> = { pages, loadMs: Math.round(loadMs), rendered: app.content.snapshot.rendered };
if (mode !== 'update') {
  const { pages: compressed, bytes, durationMs } = await precompression;
  Object.assign(figures, { precompressedPages: compressed, precompressedMb: Math.round(bytes / 2 ** 20), precompressMs: durationMs });
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  gc();
  const memory = process.memoryUsage();
  figures.heapBytesPerPage = Math.round((memory.heapUsed + memory.arrayBuffers) / pages);
}

if (mode === 'update') {
  await app.content.watching;
  const seed = await readFile(new URL('../content/index.md', import.meta.url), 'utf8');
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const marker = `Edited in round ${round}.`;
    const t0 = performance.now();
    await writeFile(`${dir}/page-42.md`, syntheticPage(seed, 42, pages, marker));
    while (!(await app.inject('/v1/pages/page-42')).body.includes(marker)) await new Promise((resolve) => setTimeout(resolve, 2));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  figures.updateMs = Math.round(times[2]);
}
await app.close();
figures.loopDelayMaxMs = loopDelayMaxMs;
figures.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify(figures)}\n`);
