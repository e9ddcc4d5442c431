import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('src/server.ts', () => {
  it('serves the bundled content and exits cleanly within 5 s of SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WATCH: '0', LOG_LEVEL: 'info', RENDER_CACHE_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    const deadline = Date.now() + 30_000;
    let health: Response | null = null;
    while (!health && Date.now() < deadline) {
      health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health?.status).toBe(200);
    // Answered from the first load's listing, or from the version it loaded.
    expect((await fetch(`http://127.0.0.1:${port}/v1/pages/index`)).status).toBe(200);
    // Ready once every page is rendered.
    while ((await fetch(`http://127.0.0.1:${port}/ready`)).status !== 200 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));

    const stopping = Date.now();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(code).toBe(0);
    // Structured logs: one line per content load with counts and duration, then the shutdown.
    const lines = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    // A first start that renders pages lists them first.
    expect(lines.find((line) => line.msg === 'content listed')).toMatchObject({ pages: 6, drafts: 1, durationMs: expect.any(Number) });
    const loaded = lines.find((line) => line.msg === 'content loaded');
    expect(loaded).toMatchObject({
      pages: 6,
      drafts: 1,
      errors: 0,
      durationMs: expect.any(Number),
    });
    // Where the load's time went: every stage, together the whole load (each rounded on its own).
    const stages = loaded.stagesMs as Record<string, number>;
    expect(Object.keys(stages)).toEqual(['prepare', 'read', 'select', 'render', 'assemble', 'publish']);
    const total = Object.values(stages).reduce((sum, ms) => sum + ms, 0);
    expect(Math.abs(total - loaded.durationMs)).toBeLessThanOrEqual(6);
    expect(lines.some((line) => line.msg === 'shutting down' && line.signal === 'SIGTERM')).toBe(true);
  });
});

describe('src/server.ts under load', () => {
  it('on SIGTERM ends idle, half-sent and streaming connections, lets requests finish, flushes the render cache and exits 0', async () => {
    const port = await freePort();
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'shutdown-cache-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WATCH: '0', LOG_LEVEL: 'info', RENDER_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let log = '';
      child.stdout.on('data', (chunk) => (log += chunk));
      const deadline = Date.now() + 30_000;
      while (
        !(await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > deadline) throw new Error('the server did not start');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // A half-sent request, a kept-alive idle connection and an open event stream.
      const half = connect(port, '127.0.0.1');
      await once(half, 'connect');
      half.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      half.on('error', () => undefined);
      const idle = connect(port, '127.0.0.1');
      await once(idle, 'connect');
      idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(idle, 'data');
      idle.on('error', () => undefined);
      const events = await fetch(`http://127.0.0.1:${port}/v1/events`);
      expect(events.status).toBe(200);
      // Requests keep arriving while it stops.
      let stopping = true;
      const load = (async () => {
        while (stopping)
          await fetch(`http://127.0.0.1:${port}/v1/pages/index`).then(
            (r) => r.arrayBuffer(),
            () => undefined,
          );
      })();

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      stopping = false;
      await load;
      expect(code).toBe(0);
      expect(half.destroyed || half.readableEnded).toBe(true);
      const lines = log
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.some((line) => line.msg === 'shutting down')).toBe(true);
      // The render cache was written on the way out (app.close → content plugin → loader.flush).
      expect((await readdir(cacheDir)).length).toBeGreaterThan(0);
      half.destroy();
      idle.destroy();
    } finally {
      child.kill('SIGKILL');
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
