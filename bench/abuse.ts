/**
 * The abuse scenario of `npm run bench`: the service over a site of 2,000 small pages and one
 * large one, while hostile clients send (1) unique spellings of the large page's path to
 * /v1/resolve, (2) 12-word searches of word beginnings, each different, (3) 1,000 event streams
 * held open. A prober asks /health every 25 ms meanwhile; the report is its p99 under each
 * attack, and the service's RSS before and after.
 */
import autocannon from 'autocannon';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const WORDS = 'kalo lomin renta tosca shale vidro dorn pelt lugar ganet tibor bosk amber cinder delta ember fjord grove'.split(' ');

/** Writes the hostile site beside a copy of `content`: 2,000 pages of 40 words and one page of 4,000 sections. */
export async function writeAbuseSite(content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-abuse-'));
  await cp(content, dir, { recursive: true });
  await Promise.all(
    Array.from({ length: 2000 }, (_, i) => {
      const word = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length] + (i % 50);
      const text = Array.from({ length: 40 }, (_, k) => word(k)).join(' ');
      return writeFile(
        path.join(dir, `ab-${i}.md`),
        `---\ntitle: Abuse page ${i} ${word(1)}\npermalink: /ab/${i}/\n---\n\n## ${word(2)} ${word(3)}\n\n${text}.\n`,
      );
    }),
  );
  const big = Array.from(
    { length: 4000 },
    (_, i) => `## Part ${i}\n\nLarge page paragraph ${i} with several words to make it heavy enough to matter.\n`,
  );
  await writeFile(path.join(dir, 'ab-big.md'), `---\ntitle: Abuse big page\npermalink: /ab-big/\n---\n\n${big.join('\n')}`);
  return dir;
}

export async function removeAbuseSite(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] : Number.NaN;
}

/** Asks /health every 25 ms until `stop` resolves; the latencies in ms. */
async function probeHealth(base: string, stop: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let running = true;
  void stop.then(() => (running = false));
  while (running) {
    const started = performance.now();
    await fetch(`${base}/health`).then(
      (response) => response.arrayBuffer(),
      () => undefined,
    );
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return samples;
}

export interface AbuseRow {
  attack: string;
  requests: number;
  statuses: string;
  healthP99: number;
}

async function flood(base: string, seconds: number, pathOf: (n: number) => string, headers: Record<string, string> = {}) {
  let n = 0;
  const statuses = new Map<number, number>();
  const run = autocannon({
    url: base,
    connections: 8,
    duration: seconds,
    headers,
    requests: [
      {
        setupRequest: (request: { path: string }) => ({ ...request, path: pathOf(n++) }),
        onResponse: (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  } as autocannon.Options);
  const [result, health] = await Promise.all([run, probeHealth(base, run)]);
  return {
    requests: result.requests.total,
    statuses: [...statuses].map(([status, count]) => `${count}×${status}`).join(', '),
    healthP99: p99(health),
  };
}

/** Runs the three attacks against the service at `base`. */
export async function runAbuse(base: string, seconds: number): Promise<AbuseRow[]> {
  const rows: AbuseRow[] = [];
  await fetch(`${base}/v1/pages/ab-big`).then((response) => response.arrayBuffer());
  const spellings = await flood(base, seconds, (n) => `/v1/resolve?path=${encodeURIComponent(`/ab-big/#${n}`)}`, {
    'accept-encoding': 'br, gzip',
  });
  rows.push({ attack: 'unique resolve spellings of the large page', ...spellings });
  // Twelve word beginnings drawn afresh for every request (18^12 combinations): no two alike, so each is ranked.
  let seed = 1;
  const draw = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % WORDS.length;
  const searches = await flood(
    base,
    seconds,
    (n) => `/v1/search?q=${encodeURIComponent(Array.from({ length: 12 }, () => WORDS[draw()].slice(0, 3)).join(' '))}&offset=${n % 90}`,
  );
  rows.push({ attack: '12-word prefix searches, each different', ...searches });
  const url = new URL(base);
  const sockets: Socket[] = [];
  const answered = await Promise.all(
    Array.from(
      { length: 1000 },
      () =>
        new Promise<number>((resolve) => {
          const socket = connect(Number(url.port), url.hostname, () =>
            socket.write('GET /v1/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n'),
          );
          sockets.push(socket);
          let head = '';
          socket.on('data', (chunk) => {
            head += chunk.toString();
            const status = /^HTTP\/1\.1 (\d+)/.exec(head);
            if (status) {
              socket.removeAllListeners('data');
              // A slow reader: it never reads again.
              socket.pause();
              resolve(Number(status[1]));
            }
          });
          socket.on('error', () => resolve(0));
        }),
    ),
  );
  const held = new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const health = await probeHealth(base, held);
  const counts = new Map<number, number>();
  for (const status of answered) counts.set(status, (counts.get(status) ?? 0) + 1);
  rows.push({
    attack: '1,000 event streams held open',
    requests: 1000,
    statuses: [...counts].map(([status, count]) => `${count}×${status}`).join(', '),
    healthP99: p99(health),
  });
  for (const socket of sockets) socket.destroy();
  return rows;
}
