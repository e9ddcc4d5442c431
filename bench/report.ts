import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

const file = new URL('../BENCHMARKS.md', import.meta.url);

/** The machine a figure was measured on, as BENCHMARKS.md states it. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/**
 * Replaces one section of BENCHMARKS.md (between its markers) with fresh figures, so each bench
 * script owns its section and the file is never edited by hand.
 */
export async function updateBenchmarks(section: 'http' | 'ingest' | 'abuse' | 'memory', body: string[]): Promise<void> {
  const current = await readFile(file, 'utf8').catch(
    () => '# Benchmarks\n\nWritten by `npm run bench` and `npm run bench:ingest`; do not edit by hand.\n',
  );
  const start = `<!-- ${section}:start -->`;
  const end = `<!-- ${section}:end -->`;
  const title = {
    http: '## HTTP: service vs bare node:http and nginx serving the export',
    ingest: '## Ingest: `npm start` on 10,000 pages beside Hugo',
    memory: '## Memory: the service and nginx at 10,000 pages',
    abuse: '## Abuse: /health while hostile requests arrive',
  }[section];
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
  const block = [
    start,
    title,
    '',
    `Run ${new Date().toISOString()} on ${machine()}; load average ${load} when written.`,
    '',
    ...body,
    end,
  ].join('\n');
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
}
