/**
 * The load generator of `npm run bench`: wrk (C, one thread) on the cores the servers do not use,
 * so that what is measured is the server. Its ceiling is measured first, against a trivial server.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLOCK_TICKS } from './process-tree.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('wrk-report.lua', import.meta.url));

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** The cores wrk runs on (taskset -c list), or undefined to leave it to the scheduler. */
  cores?: string;
  /** Every request a different URL: this prefix and a counter (a path and the start of a query value). */
  distinctPrefix?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Connect, read, write and timeout errors. */
  socketErrors: number;
  /** Responses with a status other than 2xx or 3xx. */
  statusErrors: number;
  /** CPU time wrk used in the run, seconds (NaN where /proc is missing). */
  generatorCpuSeconds: number;
}

/** Runs wrk against `url` and reads back its figures. */
export async function generateLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    url,
  ];
  const [file, argv] = options.cores ? ['taskset', ['-c', options.cores, 'wrk', ...args]] : ['wrk', args];
  const env = { ...process.env };
  if (options.distinctPrefix) env.WRK_DISTINCT_PREFIX = options.distinctPrefix;
  else delete env.WRK_DISTINCT_PREFIX;
  const { stdout } = await run(file, argv, { env, maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((text) => text.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
  const figures = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  return {
    requestsPerSecond: figures.requests / (figures.durationUs / 1e6),
    requests: figures.requests,
    p50Ms: figures.p50Us / 1000,
    p99Ms: figures.p99Us / 1000,
    socketErrors: figures.connect + figures.read + figures.write + figures.timeout,
    statusErrors: figures.status,
    generatorCpuSeconds: figures.cpuTicks >= 0 ? figures.cpuTicks / CLOCK_TICKS : Number.NaN,
  };
}
