import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer } from '../../scripts/bundle.ts';
import { freePort } from '../helpers/net.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, as dist/bundle/ is: the packages left out of the bundle resolve from its node_modules.
const outdir = path.join(root, '.cache', `bundle-test-${process.pid}`);
let cacheDir: string;

beforeAll(async () => {
  await bundleServer(outdir);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'bundle-cache-'));
}, 60_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

/** Starts the bundled server on the bundled content; resolves once it answers /health. */
async function start(): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(outdir, 'server.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WATCH: '0', LOG_LEVEL: 'info', RENDER_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const pages = await fetch(`${base}/v1/pages?limit=1`).catch(() => null);
    if (pages?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base, log: () => log };
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** The `content loaded` log lines: what each load read and rendered. */
function loads(log: string): { rendered: number; pages: number }[] {
  return log
    .split('\n')
    .filter((line) => line.includes('"content loaded"'))
    .map((line) => JSON.parse(line) as { rendered: number; pages: number });
}

describe('the bundled server (scripts/bundle.ts, what npm start runs)', () => {
  it('bundles the server and the render worker into one module each, which npm run build writes and npm start runs', async () => {
    expect((await readdir(outdir)).filter((name) => name.endsWith('.mjs')).sort()).toEqual(['render-worker.mjs', 'server.mjs']);
    const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.build).toContain('tsx scripts/bundle.ts');
    expect(scripts.start).toBe('node dist/bundle/server.mjs');
  });

  it('renders pages in its bundled worker, serves the API docs and their static files, encodes an image variant, and starts warm the second time', async () => {
    const first = await start();
    const page = await fetch(`${first.base}/v1/pages/index`);
    expect(page.status).toBe(200);
    const body = (await page.json()) as { html: string; toc: unknown[] };
    expect(body.html).toContain('<h2');
    expect(body.toc.length).toBeGreaterThan(0);
    // The Swagger UI reads its static files beside its own code: left out of the bundle, found in node_modules.
    const docs = await fetch(`${first.base}/docs/`);
    expect(docs.status).toBe(200);
    const script = await fetch(`${first.base}/docs/static/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${first.base}/openapi.yaml`)).status).toBe(200);
    // sharp, a native addon, is left out of the bundle too: an image variant is encoded by it.
    const variant = await fetch(`${first.base}/v1/assets/images/people/leah-wasser.png?w=64&format=webp`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get('content-type')).toBe('image/webp');
    expect(await stop(first.child)).toBe(0);
    const [cold] = loads(first.log());
    expect(cold.rendered).toBeGreaterThan(0);

    // The renderer key of the bundle is the same from process to process: nothing is rendered again.
    const second = await start();
    expect((await fetch(`${second.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    const [warm] = loads(second.log());
    expect(warm).toMatchObject({ rendered: 0, pages: cold.pages });
  }, 90_000);
});
