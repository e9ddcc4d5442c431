/**
 * `npm run bench`: throughput and latency of the service against a bare node:http server that
 * answers with the same precomputed bytes, measured in one run on this machine, interleaved
 * (service, bare, service, bare) so both see the same noise. Prints ratios and p50/p99 latency at
 * 50 connections and writes them to BENCHMARKS.md; then the abuse scenario (bench/abuse.ts).
 *
 * `npm run bench -- --only http` or `--only abuse` runs one part and rewrites only its section.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeAbuseSite, rssMb, runAbuse, writeAbuseSite } from './abuse.ts';
import { updateBenchmarks } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const duration = Number(process.env.BENCH_SECONDS ?? 4);
const connections = 50;
const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
if (only !== undefined && only !== 'http' && only !== 'abuse') throw new Error(`--only takes http or abuse (got ${only})`);

interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  target: number;
  /** Makes every request's URL different, so none is answered from the response cache. */
  distinct?: (n: number) => string;
}

const scenarios: Scenario[] = [
  { name: 'page JSON', path: '/v1/pages/index', target: 0.9 },
  { name: 'page HTML', path: '/v1/pages/index', headers: { accept: 'text/html' }, target: 0.9 },
  { name: '304 revalidation', path: '/v1/pages/index', headers: { 'if-none-match': '' }, target: 0.9 },
  { name: 'FAQ query', path: '/v1/faq?q=JOSS', target: 0.5 },
  { name: 'list page', path: '/v1/pages?limit=20', target: 0.5 },
  { name: 'search', path: '/v1/search?q=review', target: 0.5 },
  // Every request a different (mostly misspelt) query: the index is searched each time.
  { name: 'search, all distinct', path: '/v1/search?q=review', target: 0.5, distinct: (n) => `/v1/search?q=rev${n.toString(36)}` },
];

/**
 * Where the scheduler puts a server and the load generator changes throughput by 10 to 20%
 * from one process to the next (seen alike in the service and the bare server on this 2-core
 * machine). Where taskset exists and this process may run on 2 cores or more, both servers run on
 * the first of them and this process (autocannon) on the others, so the two servers are compared
 * in the same placement. `pinned` is the servers' core, or undefined.
 */
const pinned = (() => {
  try {
    // "pid 123's current affinity list: 0-3,6"
    const list = execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' })
      .split(':')
      .at(-1)!
      .trim();
    const cores = list.split(',').flatMap((range) => {
      const [first, last = first] = range.split('-').map(Number);
      return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    });
    if (cores.length < 2) return undefined;
    execFileSync('taskset', ['-a', '-cp', cores.slice(1).join(','), String(process.pid)], { stdio: 'ignore' });
    return String(cores[0]);
  } catch {
    return undefined;
  }
})();

async function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readPort: boolean,
): Promise<{ child: ChildProcess; port: number }> {
  const [file, argv] = pinned ? ['taskset', ['-c', pinned, command, ...args]] : [command, args];
  const child = spawn(file, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (!readPort) return { child, port: Number(env.PORT) };
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, port: Number(chunk.toString().trim()) };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Waits until the service serves content: /ready, since /health answers from the moment it listens. */
async function waitForReady(port: number) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not start');
}

function load(url: string, headers: Record<string, string>, distinct?: (n: number) => string) {
  let n = 0;
  const requests = distinct ? [{ setupRequest: (request: { path: string }) => ({ ...request, path: distinct(n++) }) }] : undefined;
  return autocannon({ url, headers, connections, duration, pipelining: 1, requests } as autocannon.Options);
}

// The service runs with the command `npm start` runs.
const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
const [command, ...args] = scripts.start.split(' ');
// `node dist/…` runs this very Node; anything else is a local binary.
const executable = command === 'node' ? process.execPath : path.join(root, 'node_modules/.bin', command);
/** The service against the bare server, scenario by scenario: the HTTP section of BENCHMARKS.md. */
async function benchHttp(): Promise<void> {
  const port = await freePort();
  const service = await startProcess(
    executable,
    args,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      WATCH: '0',
      LOG_LEVEL: 'warn',
      RENDER_CACHE_DIR: '',
      CONTENT_DIR: process.env.CONTENT_DIR ?? 'content',
    },
    false,
  );
  await waitForReady(port);
  const base = `http://127.0.0.1:${port}`;

  // The exact responses of the service, for the bare server to replay.
  const etag = (await fetch(`${base}/v1/pages/index`)).headers.get('etag')!;
  scenarios[2].headers = { 'if-none-match': etag };
  const recorded = [];
  const active: Scenario[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const response = await fetch(base + scenario.path, { headers: scenario.headers });
    if (response.status >= 400) {
      process.stdout.write(`skipping ${scenario.name}: the service answers ${response.status}\n`);
      continue;
    }
    // The same bytes: every header the service sent, but those Node adds to any response itself.
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers)
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
    recorded.push({
      path: `/s/${index}`,
      status: response.status,
      headers,
      body: Buffer.from(await response.arrayBuffer()).toString('base64'),
    });
    active.push(scenario);
  }
  const responsesFile = path.join(await mkdtemp(path.join(tmpdir(), 'bench-')), 'responses.json');
  await writeFile(responsesFile, JSON.stringify(recorded));
  const bare = await startProcess(process.execPath, [path.join(root, 'bench/bare-server.mjs'), responsesFile], {}, true);

  const rows = [];
  for (const scenario of active) {
    const index = scenarios.indexOf(scenario);
    const headers = scenario.headers ?? {};
    await load(base + scenario.path, headers, scenario.distinct); // warm-up
    const api: autocannon.Result[] = [];
    const baseline: autocannon.Result[] = [];
    for (let round = 0; round < 2; round++) {
      api.push(await load(base + scenario.path, headers, scenario.distinct));
      baseline.push(await load(`http://127.0.0.1:${bare.port}/s/${index}`, headers));
    }
    const best = (results: autocannon.Result[]) => results.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));
    const a = best(api);
    const b = best(baseline);
    const errors = api.reduce(
      (sum, result) => sum + result.errors + result.non2xx - (scenario.name === '304 revalidation' ? result.non2xx : 0),
      0,
    );
    rows.push({
      name: scenario.name,
      apiRps: Math.round(a.requests.average),
      bareRps: Math.round(b.requests.average),
      ratio: a.requests.average / b.requests.average,
      target: scenario.target,
      p50: a.latency.p50,
      p99: a.latency.p99,
      errors,
    });
  }
  service.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');

  const lines = [
    `| scenario | service req/s | bare node:http req/s | ratio | target | p50 ms | p99 ms |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.apiRps} | ${row.bareRps} | ${row.ratio.toFixed(2)}× | ≥ ${row.target}× ${row.ratio >= row.target ? '✓' : '✗'} | ${row.p50} | ${row.p99} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await updateBenchmarks('http', [
    `Measured by \`npm run bench\`: ${connections} connections, ${duration} s per run, best of 2 interleaved runs each, service`,
    'and bare server in separate processes, autocannon in the bench process, all on this machine at once.',
    pinned
      ? `Both servers ran on core ${pinned} and autocannon on the other cores (taskset), so they were compared in the same placement.`
      : 'Not pinned to cores (no taskset or one core): figures vary more between runs.',
    'Repeated identical requests are answered by the response cache in front of the router; "search, all distinct"',
    'sends a different query every time, so each one is routed, validated and searched in the index.',
    '',
    ...lines,
    '',
    `Errors or unexpected statuses during the service runs: ${rows.reduce((sum, row) => sum + row.errors, 0)}.`,
  ]);
}

/** The abuse scenario: a service over a hostile site. */
async function benchAbuse(): Promise<void> {
  const site = await writeAbuseSite(path.join(root, 'content'));
  const abusePort = await freePort();
  const abused = await startProcess(
    executable,
    args,
    {
      PORT: String(abusePort),
      HOST: '127.0.0.1',
      WATCH: '0',
      LOG_LEVEL: 'warn',
      RENDER_CACHE_DIR: '',
      CONTENT_DIR: site,
      // One address sends all 1,000 streams here: the per-address cap would refuse most of them.
      EVENTS_MAX_PER_ADDRESS: '1000',
    },
    false,
  );
  try {
    await waitForReady(abusePort);
    // Background work after the load (precompression, search index, checks) is done before the attacks.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const before = await rssMb(abused.child.pid!);
    // Other processes on the machine move these figures more than anything: say how busy it was.
    const load = loadavg().map((average) => average.toFixed(2));
    const abuse = await runAbuse(`http://127.0.0.1:${abusePort}`, Math.max(5, duration));
    const after = await rssMb(abused.child.pid!);
    const abuseLines = [
      '| attack | requests | statuses | /health p99 ms | target |',
      '| --- | ---: | --- | ---: | ---: |',
      ...abuse.map(
        (row) =>
          `| ${row.attack} | ${row.requests} | ${row.statuses} | ${Math.round(row.healthP99)} | ≤ 100 ${row.healthP99 <= 100 ? '✓' : '✗'} |`,
      ),
    ];
    process.stdout.write(`${abuseLines.join('\n')}\nRSS before ${before} MB, after ${after} MB; load average ${load.join(', ')}\n`);
    await updateBenchmarks('abuse', [
      `Measured by \`npm run bench\`: the service over 2,000 small pages and one of 4,000 sections, 8 attacking connections for`,
      `${Math.max(5, duration)} s per attack (autocannon), /health asked every 25 ms meanwhile; the service${pinned ? ` on core ${pinned}` : ''}.`,
      `Load average of the machine as the attacks began (1, 5, 15 min): ${load.join(', ')}.`,
      '',
      ...abuseLines,
      '',
      `RSS of the service (npm start's process tree): ${before} MB before the attacks, ${after} MB after.`,
    ]);
  } finally {
    abused.child.kill('SIGTERM');
    await removeAbuseSite(site);
  }
}

if (only !== 'abuse') await benchHttp();
// BENCH_ABUSE=0 skips the abuse scenario, as --only http does.
if (only !== 'http' && process.env.BENCH_ABUSE !== '0') await benchAbuse();
