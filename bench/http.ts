/**
 * `npm run bench`: throughput and latency of the service against a bare node:http server that
 * answers with the same bytes and the same headers, and against nginx serving the service's
 * static export (`npm run export`), measured in one run on this machine, interleaved (service,
 * bare, nginx, service, …) so all see the same noise. The load generator is wrk (C), on cores of
 * its own; its ceiling is measured first against a trivial server, so a ratio is known to be the
 * servers' and not the generator's. Besides requests per second, each server's CPU time per
 * request (from /proc), which other work on the machine hardly moves. Then the abuse scenario, and
 * memory at 10,000 pages (the service's and nginx's). Prints everything and writes it to BENCHMARKS.md.
 *
 * BENCH_SECONDS (default 4) per run; BENCH_ABUSE=0 and BENCH_MEMORY=0 skip those parts;
 * BENCH_PAGES (default 10000) is the size of the memory part's site.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { exportSite } from '../src/export/export-site.ts';
import { httpClient } from '../src/export/source.ts';
import { removeAbuseSite, runAbuse, writeAbuseSite } from './abuse.ts';
import { generateLoad, type LoadResult } from './load-generator.ts';
import { measureMemory, memoryReport } from './memory.ts';
import { startNginx, writeTrivialNginx } from './nginx-server.ts';
import { treeCpuSeconds, treeMemory } from './process-tree.ts';
import { updateBenchmarks } from './report.ts';
import { freePort, npmScriptCommand, root, stopGroup } from './service-process.ts';
import { NGINX, requireTool, WRK } from './system-tools.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 4);
/** Runs of each server per scenario, interleaved; the best counts (noise from other work only ever slows a run). */
const rounds = 3;
/** Every server this script started, stopped however it ends (an error included). */
const started: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
const connections = 50;
const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
if (only !== undefined && !['http', 'abuse', 'memory'].includes(only)) throw new Error(`--only takes http, abuse or memory (got ${only})`);
const wrkVersion = requireTool(WRK);
const nginxVersion = requireTool(NGINX);
const loadAtStart = loadavg();
process.stdout.write(`${wrkVersion}\n${nginxVersion}\nload average at the start: ${loadAtStart.map((n) => n.toFixed(2)).join(', ')}\n`);

interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** The least service ÷ bare ratio wanted; none for a row that shows a cost rather than compares (see below). */
  target?: number;
  /** Every request a different URL, this prefix and a counter, so none is answered from the response cache. */
  distinct?: string;
  /** nginx serves it from the export (the others it proxies to the service). */
  nginx?: boolean;
}

const scenarios: Scenario[] = [
  { name: 'page JSON', path: '/v1/pages/index', target: 0.85, nginx: true },
  { name: 'page JSON, gzip', path: '/v1/pages/index', headers: { 'accept-encoding': 'gzip' }, target: 0.85, nginx: true },
  { name: 'page HTML', path: '/v1/pages/index', headers: { accept: 'text/html' }, target: 0.85, nginx: true },
  { name: '304 revalidation', path: '/v1/pages/index', headers: { 'if-none-match': '' }, target: 0.85, nginx: true },
  { name: 'FAQ query', path: '/v1/faq?q=JOSS', target: 0.5 },
  { name: 'list page', path: '/v1/pages?limit=20', target: 0.5 },
  { name: 'search', path: '/v1/search?q=review', target: 0.5 },
  // Every request a different (mostly misspelt) query: the index is searched each time. No
  // target: it shows what a search costs, which no server replaying bytes is a yardstick for, and
  // the service sheds the searches its queue cannot take in time (503 with Retry-After, counted).
  { name: 'search, all distinct', path: '/v1/search?q=review', distinct: '/v1/search?q=rev' },
];

/**
 * Where the scheduler puts a server and the load generator changes throughput by 10 to 20%
 * from one process to the next. Where taskset exists and this process may run on 2 cores or
 * more, every server runs on the first of them, and wrk (and this process, which waits for it)
 * on the others, so the servers are compared in the same placement and the generator never
 * takes their core. `pinned` is the servers' core, `generatorCores` wrk's; both undefined if not.
 */
const [pinned, generatorCores] = (() => {
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
    if (cores.length < 2) return [undefined, undefined];
    execFileSync('taskset', ['-a', '-cp', cores.slice(1).join(','), String(process.pid)], { stdio: 'ignore' });
    return [String(cores[0]), cores.slice(1).join(',')];
  } catch {
    return [undefined, undefined];
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
  started.push(child);
  if (!readPort) return { child, port: Number(env.PORT) };
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, port: Number(chunk.toString().trim()) };
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

/** One response as it came on the wire: status, header names and values in order, body bytes undecoded. */
interface RawResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

function rawGet(url: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2)
          pairs.push([response.rawHeaders[i].toLowerCase(), response.rawHeaders[i + 1]]);
        resolve({ status: response.statusCode!, headers: pairs, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    })
      .on('timeout', function (this: ReturnType<typeof request>) {
        this.destroy(new Error(`${url}: no answer in ${timeoutMs} ms`));
      })
      .on('error', reject)
      .end();
  });
}

/** Header names of a response, sorted (the response cache sends them in another order than the router), but Date. */
const headerNames = (response: RawResponse) =>
  response.headers
    .map(([name]) => name)
    .filter((name) => name !== 'date')
    .sort();

let runs = 0;
/** Loads `url` with the scenario's headers; `distinct`: each request a different URL (only the service searches; the others replay one answer). */
/** A run: wrk's figures, and the CPU time the server's processes used meanwhile (seconds; NaN when not asked). */
interface Measured extends LoadResult {
  serverCpuSeconds: number;
}

/**
 * Loads `url` with the scenario's headers; `distinct`: each request a different URL (only the
 * service searches; the others replay one answer); `serverPid`: whose CPU time to count.
 */
async function load(url: string, scenario: Scenario, seconds = duration, distinct = false, serverPid?: number): Promise<Measured> {
  // A fresh prefix per run: the counter restarts with each wrk, and a query asked in an earlier run would be cached.
  const distinctPrefix = distinct && scenario.distinct ? `${scenario.distinct}${(runs++).toString(36)}z` : undefined;
  const before = serverPid ? await treeCpuSeconds(serverPid) : Number.NaN;
  const result = await generateLoad(url, { connections, seconds, headers: scenario.headers, cores: generatorCores, distinctPrefix });
  const after = serverPid ? await treeCpuSeconds(serverPid) : Number.NaN;
  return { ...result, serverCpuSeconds: after - before };
}

/** Microseconds of CPU per request: the server's, or wrk's. */
const serverUs = (run: Measured) => (run.serverCpuSeconds / run.requests) * 1e6;
const generatorUs = (run: Measured) => (run.generatorCpuSeconds / run.requests) * 1e6;

// The service runs with the command `npm start` runs.
const { executable, args } = await npmScriptCommand('start');

/** The throughput part: the service, bare node:http and nginx serving the export, then the report. */
async function benchHttp() {
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
  const work = await mkdtemp(path.join(tmpdir(), 'bench-'));

  // The exact responses of the service, for the bare servers to replay.
  const etag = (await fetch(`${base}/v1/pages/index`)).headers.get('etag')!;
  scenarios[3].headers = { 'if-none-match': etag };
  const active: Scenario[] = [];
  const serviceAnswers = new Map<Scenario, RawResponse>();
  const answerFiles = new Map<Scenario, string>();
  for (const [index, scenario] of scenarios.entries()) {
    // The second answer: the first goes through the router, the ones measured come from the response cache.
    await rawGet(base + scenario.path, scenario.headers);
    const response = await rawGet(base + scenario.path, scenario.headers);
    if (response.status >= 400) {
      process.stdout.write(`skipping ${scenario.name}: the service answers ${response.status}\n`);
      continue;
    }
    // The same bytes: every header the service sent, but those Node adds to any response itself.
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers)
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
    const file = path.join(work, `answer-${index}.json`);
    await writeFile(file, JSON.stringify({ status: response.status, headers, body: response.body.toString('base64') }));
    answerFiles.set(scenario, file);
    serviceAnswers.set(scenario, response);
    active.push(scenario);
  }

  /**
   * A bare node:http server for one scenario, a process of its own (see bench/bare-server.mjs),
   * checked to send what the service sends: the same status, header names and body bytes.
   */
  async function startBare(scenario: Scenario) {
    const bare = await startProcess(process.execPath, [path.join(root, 'bench/bare-server.mjs'), answerFiles.get(scenario)!], {}, true);
    const url = `http://127.0.0.1:${bare.port}${scenario.path}`;
    const [ours, theirs] = [serviceAnswers.get(scenario)!, await rawGet(url, scenario.headers)];
    const same = ours.status === theirs.status && ours.body.equals(theirs.body) && headerNames(ours).join() === headerNames(theirs).join();
    if (!same)
      throw new Error(
        `the bare server does not answer ${scenario.name} as the service does: ${theirs.status} ${headerNames(theirs).join()} ${theirs.body.length} bytes`,
      );
    return { child: bare.child, url };
  }
  const headerCounts = active.map((scenario) => `${scenario.name} ${serviceAnswers.get(scenario)!.headers.length}`);

  // nginx on the export of this service (its proxied answers go to it), one worker on the servers' core.
  const nginxPort = await freePort();
  const exportDir = path.join(work, 'export');
  await exportSite(httpClient(base), { out: exportDir, listen: `127.0.0.1:${nginxPort}`, upstreams: [base] });
  const nginxBase = `http://127.0.0.1:${nginxPort}`;
  const nginx = await startNginx(exportDir, `${nginxBase}/v1/site`, {
    cores: pinned,
    overrides: [
      // One worker process, as the service is one process.
      ['worker_processes auto;', 'worker_processes 1;'],
      // No log line per request, as the service at LOG_LEVEL=warn.
      ['access_log logs/access.log combined buffer=64k flush=1s;', 'access_log off;'],
    ],
  });
  const nginxHeaders = (await rawGet(`${nginxBase}/v1/pages/index`)).headers.length;
  // nginx's rows must be nginx's own: with the service stopped (SIGSTOP), it still answers them, from the files.
  process.kill(service.child.pid!, 'SIGSTOP');
  try {
    for (const scenario of active.filter((each) => each.nginx)) {
      const answer = await rawGet(nginxBase + scenario.path, scenario.headers, 2000);
      if (answer.status !== serviceAnswers.get(scenario)!.status) throw new Error(`nginx answers ${scenario.name} with ${answer.status}`);
    }
  } finally {
    process.kill(service.child.pid!, 'SIGCONT');
  }

  // The generator's ceiling: wrk against nginx answering `200 ok` from memory, on the servers' core.
  const trivialPort = await freePort();
  const trivialDir = path.join(work, 'trivial');
  await writeTrivialNginx(trivialDir, trivialPort);
  const trivial = await startNginx(trivialDir, `http://127.0.0.1:${trivialPort}/`, { cores: pinned });
  const trivialScenario: Scenario = { name: 'trivial', path: '/' };
  /** The best of `rounds` runs against the trivial server: what wrk can generate here at least. */
  async function measureCeiling(): Promise<number> {
    let best = 0;
    for (let round = 0; round < rounds; round++)
      best = Math.max(best, (await load(`http://127.0.0.1:${trivialPort}/`, trivialScenario)).requestsPerSecond);
    return best;
  }
  await load(`http://127.0.0.1:${trivialPort}/`, trivialScenario, 1);
  const ceilingBefore = await measureCeiling();
  process.stdout.write(`generator ceiling: ${Math.round(ceilingBefore)} req/s\n`);

  interface Row {
    scenario: Scenario;
    /** The best run (most requests per second) of each server. */
    service: Measured;
    bare: Measured;
    nginx?: Measured;
    /** The trivial server, run in the same rounds: the generator's ceiling at the time. */
    ceiling: Measured;
    /** The least CPU per request each server needed in a run, µs: other work on the machine slows a run, but hardly makes it cost more CPU. */
    cpuUs: { service: number; bare: number; nginx?: number };
    /** The least CPU per request wrk needed against the service, µs: 1e6 / it is what wrk could send on a core of its own. */
    generatorUs: number;
    errors: number;
  }
  const rows: Row[] = [];
  for (const scenario of active) {
    const bare = await startBare(scenario);
    const targets: [string, string, number][] = [
      ['service', base + scenario.path, service.child.pid!],
      ['bare', bare.url, bare.child.pid!],
    ];
    if (scenario.nginx) targets.push(['nginx', nginxBase + scenario.path, nginx.pid!]);
    targets.push(['ceiling', `http://127.0.0.1:${trivialPort}/`, trivial.pid!]);
    const scenarioOf = (name: string) => (name === 'ceiling' ? trivialScenario : scenario);
    for (const [name, url] of targets) await load(url, scenarioOf(name), 1, name === 'service'); // warm-up
    const results = new Map<string, Measured[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, url, pid] of targets)
        results.set(name, [...(results.get(name) ?? []), await load(url, scenarioOf(name), duration, name === 'service', pid)]);
    }
    const best = (name: string) => results.get(name)?.reduce((a, b) => (a.requestsPerSecond >= b.requestsPerSecond ? a : b));
    const leastUs = (name: string, cost: (run: Measured) => number) => Math.min(...(results.get(name) ?? []).map(cost));
    const errors = results.get('service')!.reduce((sum, run) => sum + run.socketErrors + run.statusErrors, 0);
    bare.child.kill('SIGTERM');
    rows.push({
      scenario,
      service: best('service')!,
      bare: best('bare')!,
      nginx: best('nginx'),
      ceiling: best('ceiling')!,
      cpuUs: {
        service: leastUs('service', serverUs),
        bare: leastUs('bare', serverUs),
        ...(scenario.nginx ? { nginx: leastUs('nginx', serverUs) } : {}),
      },
      generatorUs: leastUs('service', generatorUs),
      errors,
    });
    process.stdout.write(
      `${scenario.name}: service ${Math.round(best('service')!.requestsPerSecond)}, bare ${Math.round(best('bare')!.requestsPerSecond)}` +
        `${scenario.nginx ? `, nginx ${Math.round(best('nginx')!.requestsPerSecond)}` : ''}, trivial ${Math.round(best('ceiling')!.requestsPerSecond)} req/s\n`,
    );
  }
  // The ceiling: the best the generator did against the trivial server, first or in any scenario's rounds.
  const ceiling = Math.max(ceilingBefore, ...rows.map((row) => row.ceiling.requestsPerSecond));
  await stopGroup(trivial);
  await stopGroup(nginx);
  service.child.kill('SIGTERM');
  const fastestService = Math.max(...rows.map((row) => row.service.requestsPerSecond));
  const headroom = ceiling / fastestService;
  /** What wrk could send of a row's responses on a core of its own (from its CPU per request), ÷ the row's fastest server. */
  const capacityRoom = (row: Row) =>
    1e6 / row.generatorUs / Math.max(row.service.requestsPerSecond, row.bare.requestsPerSecond, row.nginx?.requestsPerSecond ?? 0);
  const tightest = rows.reduce((a, b) => (capacityRoom(a) <= capacityRoom(b) ? a : b));
  const rps = (result: LoadResult) => String(Math.round(result.requestsPerSecond));
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const targetCell = ({ target }: Scenario, ratio: number) => (target === undefined ? '—' : `≥ ${target}× ${mark(ratio >= target)}`);
  const lines = [
    '| scenario | service req/s | bare node:http req/s | service ÷ bare | target | nginx (export) req/s | service ÷ nginx | generator ceiling in these rounds ÷ fastest of the row | service p50 / p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(({ scenario, service: api, bare: baseline, nginx: front, ceiling: trivialRun }) => {
      const ratio = api.requestsPerSecond / baseline.requestsPerSecond;
      const room =
        trivialRun.requestsPerSecond / Math.max(api.requestsPerSecond, baseline.requestsPerSecond, front?.requestsPerSecond ?? 0);
      return (
        `| ${scenario.name} | ${rps(api)} | ${rps(baseline)} | ${ratio.toFixed(2)}× | ${targetCell(scenario, ratio)} | ` +
        `${front ? rps(front) : 'proxied'} | ${front ? `${(api.requestsPerSecond / front.requestsPerSecond).toFixed(2)}×` : '—'} | ` +
        `${room.toFixed(1)}× ${mark(room >= 2)} | ${api.p50Ms.toFixed(1)} / ${api.p99Ms.toFixed(1)} |`
      );
    }),
  ];
  const cpuLines = [
    '| scenario | service µs CPU per request | bare node:http µs | service ÷ bare by CPU (bare µs ÷ service µs) | target | nginx µs | wrk µs per request | wrk’s rate on a core of its own ÷ fastest of the row |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const { scenario, cpuUs } = row;
      const ratio = cpuUs.bare / cpuUs.service;
      return (
        `| ${scenario.name} | ${cpuUs.service.toFixed(1)} | ${cpuUs.bare.toFixed(1)} | ${ratio.toFixed(2)}× | ${targetCell(scenario, ratio)} | ` +
        `${cpuUs.nginx === undefined ? 'proxied' : cpuUs.nginx.toFixed(1)} | ${row.generatorUs.toFixed(1)} | ` +
        `${Math.round(1e6 / row.generatorUs)} req/s, ${capacityRoom(row).toFixed(1)}× |`
      );
    }),
  ];
  const ceilingLine =
    `Generator ceiling: ${Math.round(ceiling)} req/s (wrk, same settings, against nginx answering \`200 ok\` from memory on the servers' core; ` +
    `${Math.round(ceilingBefore)} in ${rounds} runs before the scenarios, the rest in their rounds): ` +
    `${headroom.toFixed(1)}× the service's fastest row (${Math.round(fastestService)} req/s): ${headroom >= 2 ? 'at least 2×, so wrk is not the bottleneck ✓' : 'less than 2×: the generator may be the limit ✗'}. ` +
    `A stricter reading, from wrk's own CPU per request (larger responses cost it more than \`ok\`): on a core of its own it could send ` +
    `${capacityRoom(tightest).toFixed(1)}× the fastest server's rate in the tightest row (${tightest.scenario.name}).`;
  process.stdout.write(`${lines.join('\n')}\n\n${cpuLines.join('\n')}\n${ceilingLine}\n`);
  const erring = rows.filter((row) => row.errors > 0);
  await updateBenchmarks('http', [
    `Measured by \`npm run bench\`: ${wrkVersion.split(' Copyright')[0]}, 1 thread, ${connections} connections, ${duration} s per run, best of ${rounds} interleaved runs`,
    'each (service, bare node:http, nginx, trivial server, service, …) after a 1 s warm-up, each server a separate process, all on this machine at once.',
    pinned
      ? `Every server ran on core ${pinned} and wrk on core ${generatorCores} (taskset); nginx with one worker and no access log, as the service is one process logging no requests.`
      : 'Not pinned to cores (no taskset or one core): figures vary more between runs, and the generator shares the servers’ cores.',
    `Each scenario has a bare server of its own, a fresh process answering only it (as the acceptance check's does), with the service's status, headers and bytes (checked before its runs; header count: ${headerCounts.join(', ')}); nginx sends ${nginxHeaders} headers on page JSON.`,
    `nginx serves the service's export (\`npm run export\`) with the generated nginx.conf (checked to answer its rows with the service stopped); what the export does not hold (queries, search) it proxies to the service.`,
    'Repeated identical requests to the service are answered by its response cache in front of the router; "search, all distinct"',
    'sends a different query every time, so each one is routed, validated and searched in the index.',
    `Load average at the start: ${loadAtStart.map((n) => n.toFixed(2)).join(', ')}: on a machine shared with other work, requests per second move with it.`,
    '',
    ...lines,
    '',
    ceilingLine,
    'Each scenario’s rounds also ran wrk against the trivial server, so each row has the ceiling of its own moment; a row whose',
    'fastest server comes within 2× of it (✗ in that column) may be partly the generator’s limit.',
    `Errors or statuses other than 2xx and 3xx during the service runs: ${erring.length ? erring.map((row) => `${row.scenario.name} ${row.errors}`).join(', ') : 'none'}` +
      ' (in "search, all distinct", the 503s of searches shed when the search queue is full, by design; they are counted in its requests per second and CPU per request).',
    '',
    'CPU per request, the same runs: the CPU time (user and system, every thread, from /proc) each server’s processes used during a run,',
    'divided by the requests answered; the least of its runs. Other work on the machine takes a server’s core away, which lowers its',
    'requests per second, but hardly changes what each request costs, so on a busy machine this ratio is the steadier one.',
    '',
    ...cpuLines,
  ]);

  await rm(work, { recursive: true, force: true });
}

/** The abuse scenario: a service over a hostile site, /health timed under each attack. */
async function benchAbuse() {
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
    // Background work after the load (search index, checks, precompression when asked for) is done before the attacks.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const before = (await treeMemory(abused.child.pid!)).rssMb;
    // Other processes on the machine move these figures more than anything: say how busy it was.
    const load = loadavg().map((average) => average.toFixed(2));
    const abuse = await runAbuse(`http://127.0.0.1:${abusePort}`, Math.max(5, duration));
    const after = (await treeMemory(abused.child.pid!)).rssMb;
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

// Memory at BENCH_PAGES pages: the service, and nginx serving its export (BENCH_MEMORY=0 skips it).
async function benchMemory() {
  const memory = memoryReport(await measureMemory(Number(process.env.BENCH_PAGES ?? 10_000), { executable, args }));
  process.stdout.write(`${memory.join('\n')}\n`);
  await updateBenchmarks('memory', memory);
}

// `npm run bench -- --only http|abuse|memory` runs one part and rewrites only its section of BENCHMARKS.md;
// BENCH_ABUSE=0 and BENCH_MEMORY=0 skip those parts of a full run.
if (only === undefined || only === 'http') await benchHttp();
if (only === 'abuse' || (only === undefined && process.env.BENCH_ABUSE !== '0')) await benchAbuse();
if (only === 'memory' || (only === undefined && process.env.BENCH_MEMORY !== '0')) await benchMemory();
process.stdout.write(
  `load average at the end: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')}\n`,
);
