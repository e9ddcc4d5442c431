/**
 * `npm run bench:ingest`: generates synthetic sites of 1,000 and 10,000 seed-sized pages in a
 * temporary folder and measures, each in a fresh process: cold load (empty render cache, render
 * workers on every core), warm start (render cache on disk), one-file update (edit to visible
 * through the watcher) and peak RSS. Writes the figures to BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { updateBenchmarks } from './report.ts';
import { writeSyntheticSite } from './synthetic-site.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const targets = { coldMs: 20_000, warmMs: 2_000, updateMs: 100, peakRssMb: 1024, loopDelayMs: 100 };

async function probe(mode: 'cold' | 'warm' | 'update', site: string, cache: string) {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/ingest-probe.ts', mode, site, cache], {
    cwd: root,
    maxBuffer: 1 << 20,
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

const work = await mkdtemp(path.join(tmpdir(), 'bench-ingest-'));
const rows: string[] = [];
try {
  for (const size of sizes) {
    const site = path.join(work, `site-${size}`);
    const cache = path.join(work, `cache-${size}`);
    await writeSyntheticSite(site, size);
    const cold = await probe('cold', site, cache);
    const warm = await probe('warm', site, cache);
    const update = await probe('update', site, cache);
    const peak = Math.max(cold.peakRssMb, warm.peakRssMb, update.peakRssMb);
    const mark = (value: number, target: number) => (size >= 10_000 ? (value <= target ? ' ✓' : ' ✗') : '');
    rows.push(
      `| ${size.toLocaleString('en')} | ${(cold.loadMs / 1000).toFixed(1)} s${mark(cold.loadMs, targets.coldMs)} | ${(warm.loadMs / 1000).toFixed(2)} s${mark(warm.loadMs, targets.warmMs)} | ` +
        `${update.updateMs} ms${mark(update.updateMs, targets.updateMs)} | ${peak} MB${mark(peak, targets.peakRssMb)} | ${Math.round(warm.heapBytesPerPage / 1024)} KiB | ` +
        `${warm.precompressedPages.toLocaleString('en')} pages, ${warm.precompressedMb} MB, ${(warm.precompressMs / 1000).toFixed(1)} s | ${cold.rendered} / ${warm.rendered} | ` +
        `${cold.loopDelayMaxMs} / ${warm.loopDelayMaxMs} / ${update.loopDelayMaxMs} ms${mark(Math.max(cold.loopDelayMaxMs, warm.loopDelayMaxMs, update.loopDelayMaxMs), targets.loopDelayMs)} |`,
    );
    process.stdout.write(
      `${size} pages: cold ${cold.loadMs} ms, warm ${warm.loadMs} ms, update ${update.updateMs} ms, peak RSS ${peak} MB, ${warm.heapBytesPerPage} bytes/page, ` +
        `precompressed ${warm.precompressedPages} pages (${warm.precompressedMb} MB) in ${warm.precompressMs} ms, ` +
        `longest event-loop delay during a load: cold ${cold.loopDelayMaxMs} ms, warm ${warm.loopDelayMaxMs} ms, update ${update.loopDelayMaxMs} ms\n`,
    );
    await rm(site, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const table = [
  '| pages | cold load | warm start | one-file update (edit to visible) | peak RSS | heap per page | precompressed after start | pages rendered cold / warm | longest event-loop delay in a load, cold / warm / update |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
];
process.stdout.write(`${table.join('\n')}\n`);
await updateBenchmarks('ingest', [
  `Measured by \`npm run bench:ingest\` on synthetic sites of the seed page, each figure in a fresh process; render workers: ${availableParallelism()}.`,
  `Targets at 10,000 pages: cold ≤ ${targets.coldMs / 1000} s, warm ≤ ${targets.warmMs / 1000} s, update ≤ ${targets.updateMs} ms, peak RSS ≤ 1 GB.`,
  'Update is the median of 5 edits of one page, timed from the write to the first response that shows it.',
  'Heap per page and peak RSS are taken after the background precompression of page bodies has finished; its time is counted from the start of serving.',
  '',
  ...table,
]);
