import { once } from 'node:events';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { bundledContent } from '../helpers/app.ts';

/** Polls `condition` until it holds, failing after `ms` (never a fixed sleep). */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function listening(app: FastifyInstance): Promise<{ base: string; port: number }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, port };
}

/** A raw connection that records what it receives and whether the server closed it. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  const state = { socket, received: '', closed: false };
  socket.on('data', (chunk) => (state.received += chunk.toString()));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => undefined);
  return state;
}

describe('the service over a real socket', () => {
  let app: FastifyInstance;
  let base: string;
  let port: number;
  beforeAll(async () => {
    app = await buildApp({
      contentDir: bundledContent,
      events: { maxClients: 3, maxPerAddress: 2 },
      connections: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    });
    ({ base, port } = await listening(app));
  });
  afterAll(() => app.close());

  it('sends nosniff, a Referrer-Policy and a locked-down CSP on JSON, HTML fragments and errors', async () => {
    for (const [url, accept] of [
      ['/v1/pages/index', 'application/json'],
      ['/v1/pages/index', 'text/html'],
      ['/v1/nowhere', 'application/json'],
      ['/health', '*/*'],
    ]) {
      const response = await fetch(base + url, { headers: { accept } });
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(response.headers.get('content-security-policy'), url).toMatch(/^default-src 'none'/);
    }
    const html = await fetch(`${base}/v1/pages/index`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'; sandbox$/);
  });

  it('lets Swagger UI at /docs load its own scripts and styles, and nothing from elsewhere', async () => {
    const response = await fetch(`${base}/docs/static/index.html`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).toMatch(/style-src 'self'/);
    expect(policy).not.toContain('https:');
  });

  it('refuses an unknown query parameter with 400 problem+json on every kind of route', async () => {
    for (const url of [
      '/health?x=1',
      '/v1/site?x=1',
      '/v1/resolve?path=/&x=1',
      '/v1/pages/index?x=1',
      '/v1/search?q=peer&x=1',
      '/robots.txt?x=1',
      '/v1/diagnostics?x=1',
      '/openapi.json?x=1',
    ]) {
      const response = await fetch(base + url);
      expect(response.status, url).toBe(400);
      expect(response.headers.get('content-type'), url).toMatch(/^application\/problem\+json/);
      expect((await response.json()).invalid_params?.[0]?.name, url).toBe('x');
    }
  });

  it('answers every spelling of a page with the one representation built for it', async () => {
    const etags = new Set<string | null>();
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${base}/v1/resolve?path=${encodeURIComponent(`/resources/#${i}`)}`, {
        headers: { 'accept-encoding': 'br' },
      });
      expect(response.status).toBe(200);
      expect((await response.json()).path).toBe('/resources/');
      etags.add(response.headers.get('etag'));
    }
    expect(etags.size).toBe(1);
  });

  it('caps event streams per address, with 503 problem+json and Retry-After beyond', async () => {
    const open = await Promise.all([0, 1].map(() => fetch(`${base}/v1/events`)));
    expect(open.map((response) => response.status)).toEqual([200, 200]);
    const refused = await fetch(`${base}/v1/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await refused.json()).detail).toContain('from this address');
    await Promise.all(open.map(async (response) => response.body?.cancel()));
    // Once the streams close, their places are free again.
    await until(async () => {
      const again = await fetch(`${base}/v1/events`);
      await again.body?.cancel();
      return again.status === 200;
    }, 'a free stream place');
  });

  it('closes a connection whose request headers never finish arriving (headersTimeout)', async () => {
    const client = rawClient(port);
    await once(client.socket, 'connect');
    client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await until(() => client.closed, 'the server to close the half-sent request');
    expect(client.received).toMatch(/^(HTTP\/1\.1 408|$)/);
  });
});

describe('server limits', () => {
  it("sets the timeouts and connection cap on the server it creates, Fastify's own timeout options included", async () => {
    const defaults = await buildApp({ contentDir: bundledContent });
    const fromFastify = await buildApp(
      { contentDir: bundledContent },
      { logger: false, keepAliveTimeout: 1234, requestTimeout: 4321, connectionTimeout: 60_000 },
    );
    try {
      expect(defaults.server).toMatchObject({
        headersTimeout: 10_000,
        requestTimeout: 30_000,
        keepAliveTimeout: 5_000,
        maxConnections: 10_000,
      });
      expect(fromFastify.server).toMatchObject({ requestTimeout: 4321, keepAliveTimeout: 1234, timeout: 60_000 });
    } finally {
      await Promise.all([defaults.close(), fromFastify.close()]);
    }
  });
});

describe('connection cap', () => {
  it('drops connections beyond MAX_CONNECTIONS as they arrive', async () => {
    const app = await buildApp({ contentDir: bundledContent, connections: { maxConnections: 2 } });
    try {
      const { port } = await listening(app);
      const clients = [rawClient(port), rawClient(port)];
      await Promise.all(clients.map((client) => once(client.socket, 'connect')));
      // The server counts a connection once it has accepted it: wait until both are.
      await until(
        () => new Promise<boolean>((resolve) => app.server.getConnections((_error, count) => resolve(count === 2))),
        'two connections',
      );
      const third = rawClient(port);
      await until(() => third.closed, 'the third connection to be dropped');
      expect(third.received).toBe('');
      clients.forEach((client) => client.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
      await until(() => clients.every((client) => client.received.startsWith('HTTP/1.1 200')), 'the first two to be served');
      clients.forEach((client) => client.socket.destroy());
    } finally {
      await app.close();
    }
  });
});

describe('rate limits (RATE_LIMIT, RATE_LIMIT_SEARCH)', () => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = await buildApp({ contentDir: bundledContent, rateLimit: { max: 5, search: 2 } });
    ({ base } = await listening(app));
  });
  afterAll(() => app.close());

  it('answers 429 problem+json with RateLimit headers and Retry-After once a client is over its limit', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${base}/v1/pages/index`);
      statuses.push(last.status);
      if (i < 5) await last.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(last!.headers.get('ratelimit-limit')).toBe('5');
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).status).toBe(429);
  });

  it('gives search its own, lower limit, and never limits /health', async () => {
    const search = [];
    for (let i = 0; i < 3; i++) search.push((await fetch(`${base}/v1/search?q=peer`)).status);
    expect(search).toEqual([200, 200, 429]);
    for (let i = 0; i < 10; i++) expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('client address behind a proxy (TRUST_PROXY)', () => {
  it('takes the client address from X-Forwarded-For only when told to trust the proxy', async () => {
    for (const trustProxy of [false, true]) {
      const app = await buildApp({ contentDir: bundledContent, rateLimit: { max: 1 } }, { logger: false, trustProxy });
      try {
        const { base } = await listening(app);
        const first = await fetch(`${base}/v1/site`, { headers: { 'x-forwarded-for': '203.0.113.1' } });
        await first.body?.cancel();
        const other = await fetch(`${base}/v1/site`, { headers: { 'x-forwarded-for': '203.0.113.2' } });
        await other.body?.cancel();
        // Trusted: two clients, one request each. Not trusted: one client (127.0.0.1), over its limit.
        expect(other.status, `trustProxy ${trustProxy}`).toBe(trustProxy ? 200 : 429);
      } finally {
        await app.close();
      }
    }
  });
});

describe('search over a real socket', () => {
  it('refuses new queries with 503 and Retry-After once the ranking time of this second is spent, still answering ranked ones', async () => {
    const app = await buildApp({ contentDir: bundledContent, searchRankingMsPerSecond: Number.MIN_VALUE });
    try {
      const { base } = await listening(app);
      expect((await fetch(`${base}/v1/search?q=peer`)).status).toBe(200);
      const refused = await fetch(`${base}/v1/search?q=python`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // Already ranked: a page of it is a slice, not a ranking.
      expect((await fetch(`${base}/v1/search?q=peer&offset=1`)).status).toBe(200);
      // FAQ ranking shares the ranking time; the FAQ without `q` ranks nothing.
      const faq = await fetch(`${base}/v1/faq?q=review`);
      expect(faq.status).toBe(503);
      expect(faq.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${base}/v1/faq`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  // Twelve word beginnings, every one in the introduction of the bundled home page (and each the
  // beginning of several indexed words).
  const twelve = 'pyo pro ope rep res thr pee rev sci pyt pac bui';
  const searchOver = async (base: string, q: string) => {
    const response = await fetch(`${base}/v1/search?q=${encodeURIComponent(q)}&limit=100`);
    expect(response.status).toBe(200);
    return (await response.json()) as { query: string; partial: boolean; total: number; items: { url: string }[] };
  };

  it('answers a 12-word prefix query with what it ranked within its budget, flagged partial, never a stall', async () => {
    const app = await buildApp({ contentDir: bundledContent, searchBudgetMs: Number.MIN_VALUE });
    try {
      const { base } = await listening(app);
      expect(await searchOver(base, twelve)).toMatchObject({ partial: true });
      // The flag belongs to the ranking: another page of it says the same, without ranking again.
      const next = await fetch(`${base}/v1/search?q=${encodeURIComponent(twelve)}&offset=1`);
      expect(await next.json()).toMatchObject({ partial: true });
    } finally {
      await app.close();
    }
  });

  it('searches only the first 12 words of a longer query', async () => {
    const app = await buildApp({ contentDir: bundledContent, searchBudgetMs: 60_000, searchRankingMsPerSecond: 60_000 });
    try {
      const { base } = await listening(app);
      const answer = await searchOver(base, twelve);
      expect(answer).toMatchObject({ partial: false, total: 1, items: [{ url: '/#about-pyopensci' }] });
      // A word that is nowhere, among the first twelve, leaves no page with every word: the search is relaxed.
      expect((await searchOver(base, twelve.replace(/ \w+$/, ' zzqxjv'))).total).toBeGreaterThan(1);
      // As a thirteenth word, it is not searched.
      expect(await searchOver(base, `${twelve} zzqxjv`)).toEqual({ ...answer, query: `${twelve} zzqxjv` });
    } finally {
      await app.close();
    }
  });
});
