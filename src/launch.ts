/**
 * What `npm start` runs, as `dist/bundle/server.mjs` (scripts/bundle.ts): turns on Node's compile
 * cache, then loads the service (`service.mjs`, src/server.ts bundled). With the cache, V8 keeps
 * the code it compiled from the bundles and the packages left out of them, and a start reads it
 * back instead of compiling the service's 2.9 MB again (and each render worker its 1.5 MB). Warm
 * start at 10,000 pages on Node 24: 0.76 s against 0.79 s (medians of 8 alternated pairs, faster in
 * each); on an empty content folder, 0.27–0.29 s against about 0.34 s. Node 20 has no compile cache
 * (`module.enableCompileCache` came with Node 22.1): there this only loads the service.
 *
 * The cache is code this process runs, so its folder must be as private as the code itself:
 * `dist/compile-cache/`, beside the bundle, created mode 0700 and used only while it belongs to
 * this user and no one else may write it (the render cache folder's rule, see pack-key.ts). It is
 * written when the process exits, and a new build's code is compiled afresh (Node checks each
 * entry against a hash of the source it came from). A read-only install starts without it. An
 * operator's own NODE_COMPILE_CACHE is used as it is, and NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off. Nothing here stops the service from starting: at worst it starts without the cache.
 */
import { mkdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { untrusted } from './content/pack-key.ts';

/** What Node 22.1 and later add to node:module (the types are Node 20's). */
interface CompileCacheApi {
  enableCompileCache?: (directory: string) => { status: number; message?: string };
  constants?: { compileCacheStatus?: { ENABLED: number } };
}

function enableCompileCache(directory: string): void {
  const api = module as CompileCacheApi;
  if (!api.enableCompileCache || process.env.NODE_COMPILE_CACHE) return;
  let unsafe: string | null;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    unsafe = untrusted(statSync(directory), 'folder');
  } catch {
    // A read-only install: started without the cache, as on Node 20.
    return;
  }
  if (unsafe) {
    process.emitWarning(
      `The compile cache folder dist/compile-cache is not used: ${unsafe}. Make it private to this user (chmod 700), or delete it to have it created again.`,
      {
        code: 'COMPILE_CACHE_UNSAFE',
      },
    );
    return;
  }
  let status: number | undefined;
  try {
    ({ status } = api.enableCompileCache(directory));
  } catch {
    return;
  }
  // Worker threads read it from their environment when they start: the render workers use it too.
  if (status === api.constants?.compileCacheStatus?.ENABLED) process.env.NODE_COMPILE_CACHE = directory;
}

enableCompileCache(fileURLToPath(new URL('../compile-cache/', import.meta.url)));
await import(new URL('./service.mjs', import.meta.url).href);
