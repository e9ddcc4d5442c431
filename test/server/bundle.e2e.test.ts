import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleServer, UNBUNDLED } from '../../scripts/bundle.ts';
import { RENDERER_PACKAGES } from '../../src/content/renderer-key.ts';
import { freePort } from '../helpers/net.ts';
import { bodyFiles } from '../helpers/cache-folder.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, as dist/bundle/ is: the packages left out of the bundle resolve from its node_modules.
const testDir = path.join(root, '.cache', `bundle-test-${process.pid}`);
const outdir = path.join(testDir, 'bundle');
// Beside the bundle, as dist/compile-cache/ is beside dist/bundle/ (src/launch.ts).
const compileCache = path.join(testDir, 'compile-cache');
/** Whether this Node has a compile cache (22.1 and later; the types are Node 20's). */
const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let cacheDir: string;

const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

beforeAll(async () => {
  await bundleServer(outdir);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'bundle-cache-'));
}, 60_000);

afterAll(async () => {
  await rm(testDir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

/** Runs the bundled server with these arguments and settings, on the bundled content, collecting what it writes. */
function run(args: string[], env: Record<string, string>): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [path.join(outdir, 'server.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, WATCH: '0', LOG_LEVEL: 'info', RENDER_CACHE_DIR: cacheDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  return { child, log: () => log };
}

/** Starts the bundled server on the bundled content; resolves once it lists pages. */
async function start(env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const port = await freePort();
  const { child, log } = run([], { PORT: String(port), HOST: '127.0.0.1', ...env });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const pages = await fetch(`${base}/v1/pages?limit=1`).catch(() => null);
    if (pages?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base, log };
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** The exit code of a run that stops by itself, and what it wrote. */
async function finish(args: string[], env: Record<string, string>): Promise<{ code: number | null; log: string }> {
  const { child, log } = run(args, env);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, log: log() };
}

/** The `content loaded` log lines: what each load read and rendered. */
function loads(log: string, message = 'content loaded'): { rendered: number; pages: number }[] {
  return log
    .split('\n')
    .filter((line) => line.includes(`"${message}"`))
    .map((line) => JSON.parse(line) as { rendered: number; pages: number });
}

describe('the bundled server (scripts/bundle.ts, what npm start runs)', () => {
  it('bundles the service and the render worker into one file each, behind the small server.mjs that npm run build writes and npm start runs', async () => {
    // server.mjs loads the service (service.cjs, a script: see launch.ts) with its code cache.
    expect((await readdir(outdir)).filter((name) => /\.[cm]js$/.test(name)).sort()).toEqual([
      'render-worker.mjs',
      'server.mjs',
      'service.cjs',
    ]);
    // Small: the launcher and the lstat worker it starts early (src/content/lstat-batch.ts), none of the service.
    expect((await stat(path.join(outdir, 'server.mjs'))).size).toBeLessThan(8192);
    // Latin-1 only (a license comment names Jimmy Wärting): one character past U+00FF would have V8
    // hold a bundle's whole source two bytes a character.
    for (const name of ['server.mjs', 'service.cjs', 'render-worker.mjs']) {
      const source = await readFile(path.join(outdir, name), 'utf8');
      expect(source.match(/.{0,40}[^\0-\xff]/u)?.[0], `a character past U+00FF in ${name}`).toBeUndefined();
    }
    expect(scripts.build).toContain('tsx scripts/bundle.ts');
    // The main thread's young generation is capped; src/launch.ts clears the flag for the render workers (see young-generation.test.ts).
    expect(scripts.start).toBe('node --max-semi-space-size=8 dist/bundle/server.mjs');
  });

  it('bundles every package that shapes rendered output, so that its renderer key is the hash of its own files', () => {
    // The bundle's renderer key reads no package versions from node_modules (see defaultRendererSources).
    expect(UNBUNDLED.filter((name) => RENDERER_PACKAGES.test(name))).toEqual([]);
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
    // Bundled, the UI reads its files and logo from their copy beside the bundle.
    expect(await readdir(path.join(testDir, 'swagger-ui'))).toContain('swagger-ui-bundle.js');
    const logo = await fetch(`${first.base}/docs/static/logo.svg`);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
    expect(await logo.text()).toBe(await readFile(path.join(testDir, 'swagger-ui', 'logo.svg'), 'utf8'));
    expect((await fetch(`${first.base}/openapi.yaml`)).status).toBe(200);
    // sharp, a native addon, is left out of the bundle too: an image variant is encoded by it.
    const variant = await fetch(`${first.base}/v1/assets/images/people/leah-wasser.png?w=64&format=webp`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get('content-type')).toBe('image/webp');
    expect(await stop(first.child)).toBe(0);
    const [cold] = loads(first.log());
    expect(cold.rendered).toBeGreaterThan(0);

    // The renderer key of the bundle is the same from process to process: nothing is rendered again,
    // and with nothing changed the start serves the snapshot the clean shutdown saved.
    const second = await start();
    expect((await fetch(`${second.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    const [warm] = loads(second.log(), 'content resumed');
    expect(warm).toMatchObject({ rendered: 0, pages: cold.pages });
  }, 90_000);

  it('writes JSON log lines, or with LOG_FORMAT=pretty readable ones through pino-pretty on its transport thread (pino is bundled, its transport is not)', async () => {
    for (const [format, line] of [
      ['json', /^\{"level":30,.*"msg":"Server listening at http:\/\/127\.0\.0\.1:\d+"\}$/m],
      ['pretty', /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+$/m],
    ] as const) {
      const { child, log } = await start({ LOG_FORMAT: format });
      expect(await stop(child)).toBe(0);
      expect(log()).toMatch(line);
    }
  });

  it("keeps V8's compiled code of the service in a private folder beside the bundle, reads it back on the next start, and never uses one others may write", async () => {
    await rm(compileCache, { recursive: true, force: true });
    const first = await start();
    expect((await fetch(`${first.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(first.child)).toBe(0);
    // Written once the first version is served, on every Node version: the service's code, named by
    // its bytes and this Node's version and options; on Node 22.1 and later, Node's own cache (written
    // as the process exits) in a folder beside it.
    expect((await stat(compileCache)).mode & 0o777).toBe(0o700);
    const names = await readdir(compileCache);
    const [code] = names.filter((name) => /^service-[0-9a-f]{32}\.bin$/.test(name));
    expect(code).toBeDefined();
    expect(names.length).toBe(hasCompileCache ? 2 : 1);
    const written = await stat(path.join(compileCache, code));
    expect(written.mode & 0o777).toBe(0o600);
    expect(written.size).toBeGreaterThan(100_000);

    // The next start takes it: nothing is written again.
    const second = await start();
    expect((await fetch(`${second.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    expect((await stat(path.join(compileCache, code))).mtimeMs).toBe(written.mtimeMs);

    // A damaged cache is turned down by V8: the service starts all the same, and writes a good one.
    await writeFile(path.join(compileCache, code), Buffer.alloc(written.size, 7));
    const damaged = await start();
    expect((await fetch(`${damaged.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(damaged.child)).toBe(0);
    expect(await readFile(path.join(compileCache, code))).not.toEqual(Buffer.alloc(written.size, 7));
    expect((await stat(path.join(compileCache, code))).size).toBeGreaterThan(100_000);

    // A folder others may write could hold code they wrote: it is left alone, with a warning.
    await rm(compileCache, { recursive: true, force: true });
    await mkdir(compileCache);
    await chmod(compileCache, 0o777);
    const shared = await start();
    expect((await fetch(`${shared.base}/v1/pages/index`)).status).toBe(200);
    expect(await stop(shared.child)).toBe(0);
    expect(shared.log()).toContain('COMPILE_CACHE_UNSAFE');
    expect(shared.log()).toContain('is writable by group or others');
    expect(await readdir(compileCache)).toEqual([]);
    await rm(compileCache, { recursive: true, force: true });
  }, 60_000);

  it('npm run build:cache loads the content, writes the warm-start cache and exits; a start from it renders, compresses and indexes nothing', async () => {
    expect(scripts['build:cache']).toBe('node dist/bundle/server.mjs --build-cache');
    const built = await mkdtemp(path.join(tmpdir(), 'bundle-built-cache-'));
    try {
      const build = await finish(['--build-cache'], { RENDER_CACHE_DIR: built });
      expect(build.code).toBe(0);
      expect(build.log).toContain('"msg":"warm-start cache written"');
      expect(build.log).toContain('"searchIndex":true');
      // It listens on nothing: no port is taken.
      expect(build.log).not.toContain('Server listening');
      const [cold] = loads(build.log);
      expect(cold.rendered).toBeGreaterThan(0);

      // Every page body was compressed by the build (whatever PRECOMPRESS_MAX_MB says) and kept in the folder.
      expect(build.log).toMatch(/"pages":\d+,"bytes":[1-9]\d*,"outcome":"all".*"msg":"page bodies precompressed"/);
      const compressed = await bodyFiles(built);
      expect(compressed).toBeGreaterThan(0);

      const served = await start({ RENDER_CACHE_DIR: built });
      const search = await fetch(`${served.base}/v1/search?q=pyopensci`);
      expect(search.status).toBe(200);
      // A page's compressed body is read back from the folder: the start compresses none, and writes none.
      const page = await fetch(`${served.base}/v1/pages/index`, { headers: { 'accept-encoding': 'br' } });
      expect(page.headers.get('content-encoding')).toBe('br');
      expect(await stop(served.child)).toBe(0);
      expect(await bodyFiles(built)).toBe(compressed);
      expect(served.log()).not.toContain('"msg":"page bodies precompressed"');
      const [warm] = loads(served.log(), 'content resumed');
      expect(warm).toMatchObject({ rendered: 0, pages: cold.pages });
      expect(served.log()).toContain('"msg":"search index restored"');
    } finally {
      await rm(built, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses to build the cache with the cache off, with an argument it does not know or into a folder others may write, and fails on a content folder it cannot load', async () => {
    const off = await finish(['--build-cache'], { RENDER_CACHE_DIR: '' });
    expect(off.code).toBe(2);
    expect(off.log).toContain('RENDER_CACHE_DIR is empty');
    const unknown = await finish(['--bulid-cache'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.log).toContain("Unknown option '--bulid-cache'");
    expect(unknown.log).toContain('npm run build:cache');
    const missing = await finish(['--build-cache'], { CONTENT_DIR: path.join(cacheDir, 'no-such-folder') });
    expect(missing.code).toBe(1);
    expect(missing.log).toContain('The content folder does not exist');
    // A cache folder others may write is never read by a start: a build into it fails rather than write what no start uses.
    const shared = await mkdtemp(path.join(tmpdir(), 'bundle-shared-cache-'));
    try {
      await chmod(shared, 0o777);
      const refused = await finish(['--build-cache'], { RENDER_CACHE_DIR: shared });
      expect(refused.code).toBe(1);
      expect(refused.log).toContain('is not used');
      expect(refused.log).toContain('RENDER_CACHE_DIR cannot hold the cache');
      expect(await readdir(shared)).toEqual([]);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  }, 30_000);
});
