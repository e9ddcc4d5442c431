/**
 * What `npm start` runs, as `dist/bundle/server.mjs` (scripts/bundle.ts): loads the service
 * (`service.cjs`, src/server.ts bundled) with V8's code cache, so that a start reads back the code
 * V8 compiled for the last start rather than compiling the service's 2.9 MB and the functions the
 * start runs again. The cache is a script's (`vm.Script`'s cachedData), which every Node version
 * the service supports has. Resumed warm start at 10,000 pages, `node dist/bundle/server.mjs`:
 * 0.43–0.47 s against 0.55–0.57 s without on Node 20 (docs/guides/deployment.md). On Node 22.1
 * and later it also turns on Node's own compile cache, for the render workers (a 1.5 MB module
 * each) and the packages left out of the bundle.
 *
 * A cache is code this process runs, so its folder must be as private as the code itself:
 * `dist/compile-cache/`, beside the bundle, created mode 0700 and used only while it belongs to
 * this user and no one else may write it (the render cache folder's rule, see pack-key.ts). The
 * service's cache is named by a hash of the script's bytes, the Node version and the options Node
 * was started with (V8 takes a cache only under the flags it was made under), and written once
 * content is first answered (a first start's listing, or its first version), if the start found
 * none or V8 turned it down; V8 checks it again as it
 * reads it. A read-only install starts without it. An operator's own NODE_COMPILE_CACHE is used as
 * it is, and NODE_DISABLE_COMPILE_CACHE=1 turns both off. Nothing here stops the service from
 * starting: at worst it starts without a cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startLstatWorkerEarly } from './content/lstat-batch.ts';
import { untrusted } from './content/pack-key.ts';
import { handBundleRendererKey } from './content/renderer-key.ts';

/** What Node 22.1 and later add to node:module (the types are Node 20's). */
interface CompileCacheApi {
  enableCompileCache?: (directory: string) => { status: number; message?: string };
  constants?: { compileCacheStatus?: { ENABLED: number } };
}

/**
 * The cache folder, created private if missing; null when it cannot be (a read-only install) or
 * is not private (said once, as a warning).
 */
function privateFolder(directory: string): string | null {
  let unsafe: string | null;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    unsafe = untrusted(statSync(directory), 'folder');
  } catch {
    return null;
  }
  if (unsafe) {
    process.emitWarning(
      `The compile cache folder dist/compile-cache is not used: ${unsafe}. Make it private to this user (chmod 700), or delete it to have it created again.`,
      {
        code: 'COMPILE_CACHE_UNSAFE',
      },
    );
    return null;
  }
  return directory;
}

function enableCompileCache(directory: string): void {
  const api = module as CompileCacheApi;
  if (!api.enableCompileCache || process.env.NODE_COMPILE_CACHE) return;
  let status: number | undefined;
  try {
    ({ status } = api.enableCompileCache(directory));
  } catch {
    return;
  }
  // Worker threads read it from their environment when they start: the render workers use it too.
  if (status === api.constants?.compileCacheStatus?.ENABLED) process.env.NODE_COMPILE_CACHE = directory;
}

/**
 * Runs the service script as Node runs a CommonJS module (the same wrapper and arguments), its
 * compiled code read from the cache folder when V8 takes it. Otherwise the code V8 compiled for
 * the start is written there once content is first answered, for the next start.
 */
function runService(file: string, folder: string | null): void {
  const bytes = readFileSync(file);
  const digest = createHash('sha256').update(bytes).digest();
  // The service takes the renderer key from here (see handBundleRendererKey), with the script's digest.
  handBundleRendererKey(path.dirname(file), new Map([[file, { size: bytes.length, digest }]]));
  const cache =
    folder &&
    path.join(
      folder,
      `service-${createHash('sha256')
        .update(`${process.version}\0${process.arch}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}\0`)
        .update(digest)
        .digest('hex')
        .slice(0, 32)}.bin`,
    );
  let cachedData: Buffer | undefined;
  try {
    cachedData = cache ? readFileSync(cache) : undefined;
  } catch {
    // None yet.
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const service: { exports: { onFirstServed?: (listener: () => void) => void } } = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    service.exports,
    service.exports,
    createRequire(file),
    service,
    file,
    path.dirname(file),
  );
  if (!cache || (cachedData && !script.cachedDataRejected)) return;
  // Made once content is first answered (see onFirstServed in server.ts), with the code the start
  // compiled (the code of a function is cached once it has run), and before the service changes
  // V8's flags (heap-growth.ts): V8 takes a cache only under the flags it was made under.
  service.exports.onFirstServed?.(() => writeCache(cache, script.createCachedData()));
}

/**
 * Writes the script's code cache beside its final name, then renames it there: a start never reads
 * half a cache. At once, not in the background: a service stopped right after its first version
 * is served (a quick restart) would exit with the write under way; 3 MB take 1-3 ms, once a build.
 */
function writeCache(cache: string, code: Buffer): void {
  const aside = `${cache}.${process.pid}.tmp`;
  try {
    writeFileSync(aside, code, { mode: 0o600 });
    renameSync(aside, cache);
  } catch {
    // A full or read-only disk: the next start compiles again. Never thrown: the service goes on.
    removeQuietly(aside);
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing to remove, or nothing that can be.
  }
}

/**
 * `npm start` caps the main thread's young generation with `--max-semi-space-size=8` (16 MB of
 * semi-spaces instead of Node 20's 32): a load grows it to its largest, and it stays that large
 * while the background work after a load runs, until the service goes quiet
 * (idle-collection.ts). At 10,000 seed pages that is 16 MB more resident through a cold start's
 * render and the checks and indexing after it, in a process then at its peak. V8 applies the
 * flag to every heap made while it is set, over the young generation a render worker asks for
 * (YOUNG_GENERATION_MB in render-pool.ts, measured per role: the worker kept for live edits asks
 * for 4 MB and would hold 16), so it is cleared here, once the main thread's heap is made and
 * before any worker starts.
 */
v8.setFlagsFromString('--max-semi-space-size=0');

const disabled = process.env.NODE_DISABLE_COMPILE_CACHE === '1';
const folder = disabled ? null : privateFolder(fileURLToPath(new URL('../compile-cache/', import.meta.url)));
if (folder) enableCompileCache(folder);
// Its start overlaps the service's evaluation, on another core (see startLstatWorkerEarly).
startLstatWorkerEarly();
runService(fileURLToPath(new URL('./service.cjs', import.meta.url)), folder);
