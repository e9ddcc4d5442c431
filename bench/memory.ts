/**
 * The memory part of `npm run bench`: a synthetic site of seed-sized pages (as `npm run
 * bench:ingest` writes it) served by the service (`npm start`), then exported and served by nginx
 * with the generated nginx.conf; the memory of each one's process tree once settled.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportSite } from '../src/export/export-site.ts';
import { httpClient } from '../src/export/source.ts';
import { startNginx } from './nginx-server.ts';
import { treeMemory, type TreeMemory } from './process-tree.ts';
import { freePort, spawnGroup, stopGroup, untilListed } from './service-process.ts';
import { writeSyntheticSite } from './synthetic-site.ts';

/** Seconds after the last page is listed before the service's memory is read (background work: content checks, search index). */
const SETTLE_SECONDS = 15;

export interface MemoryFigures {
  pages: number;
  service: TreeMemory;
  serviceLoadMs: number;
  nginx: TreeMemory;
  exportMs: number;
  exportFiles: number;
  exportDiskMb: number;
}

/** Measures both servers' memory at `pages` pages; `start` is the command of `npm start`. */
export async function measureMemory(pages: number, start: { executable: string; args: string[] }): Promise<MemoryFigures> {
  const work = await mkdtemp(path.join(tmpdir(), 'bench-memory-'));
  const children: ChildProcess[] = [];
  try {
    const site = path.join(work, 'site');
    await writeSyntheticSite(site, pages);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const startedAt = performance.now();
    const service = spawnGroup(start.executable, start.args, {
      env: { PORT: String(port), HOST: '127.0.0.1', WATCH: '0', LOG_LEVEL: 'warn', RENDER_CACHE_DIR: '', CONTENT_DIR: site },
    });
    children.push(service);
    const serviceLoadMs = await untilListed(base, pages, { startedAt, child: service, pollMs: 100 });
    process.stdout.write(
      `memory: the service lists ${pages} pages after ${(serviceLoadMs / 1000).toFixed(1)} s; settling ${SETTLE_SECONDS} s\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
    const serviceMemory = await treeMemory(service.pid!);

    const out = path.join(work, 'export');
    const nginxPort = await freePort();
    const exportStarted = performance.now();
    const exported = await exportSite(httpClient(base), { out, listen: `127.0.0.1:${nginxPort}`, upstreams: [base] });
    const exportMs = performance.now() - exportStarted;
    process.stdout.write(`memory: exported ${exported.files.length} files in ${(exportMs / 1000).toFixed(1)} s\n`);
    await stopGroup(service);

    const front = `http://127.0.0.1:${nginxPort}`;
    const nginx = await startNginx(out, `${front}/v1/site`);
    children.push(nginx);
    // Every page once, as JSON and gzip, so that what nginx holds per request it has served is in.
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < pages) {
          const response = await fetch(`${front}/v1/pages/page-${next++}`, { headers: { 'accept-encoding': 'gzip' } });
          await response.arrayBuffer();
        }
      }),
    );
    const nginxMemory = await treeMemory(nginx.pid!);
    return {
      pages,
      service: serviceMemory,
      serviceLoadMs,
      nginx: nginxMemory,
      exportMs,
      exportFiles: exported.files.length,
      exportDiskMb: Math.round((await diskBytes(path.join(out, 'public'))) / 2 ** 20),
    };
  } finally {
    for (const child of children) await stopGroup(child).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

/** Bytes of the files under a folder (with their .gz and .br siblings). */
async function diskBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  return bytes;
}

/** The memory section of BENCHMARKS.md. */
export function memoryReport(figures: MemoryFigures): string[] {
  const per = figures.pages === 10_000 ? '' : ` (measured at ${figures.pages.toLocaleString('en')} pages, not scaled)`;
  return [
    `Measured by \`npm run bench\` (BENCH_PAGES=${figures.pages}): ${figures.pages.toLocaleString('en')} seed-sized pages, as \`npm run bench:ingest\` writes them.`,
    `The service: \`npm start\` (WATCH=0, no render cache), its process tree's memory ${SETTLE_SECONDS} s after /v1/pages listed every page`,
    `(${(figures.serviceLoadMs / 1000).toFixed(1)} s after it started). nginx: the export of that service (\`npm run export\`, ${figures.exportFiles.toLocaleString('en')} files`,
    `and their .gz and .br, ${figures.exportDiskMb.toLocaleString('en')} MB on disk, written in ${(figures.exportMs / 1000).toFixed(0)} s) with the generated nginx.conf as it is, after serving every page once;`,
    "its files are read through the kernel's page cache, which is shared and not in any process's RSS.",
    'RSS counts memory shared between processes (nginx master and workers) in each; PSS splits it between them.',
    '',
    `| server | processes | RSS per 10,000 pages${per} | PSS |`,
    '| --- | ---: | ---: | ---: |',
    `| service (npm start) | ${figures.service.processes} | ${figures.service.rssMb} MB | ${figures.service.pssMb} MB |`,
    `| nginx serving the export | ${figures.nginx.processes} | ${figures.nginx.rssMb} MB | ${figures.nginx.pssMb} MB |`,
  ];
}
