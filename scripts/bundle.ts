/**
 * `npm run build` bundles what `npm start` runs: the server into one script and the render worker
 * into one ES module in `dist/bundle/`, with esbuild (the compiler tsx already brings). Started
 * from the compiled `dist/src/`, the service and its worker open some 1,400 module and package
 * files, one module at a time; from the bundle, about 250 (those of the packages left out below),
 * and the service answers its first request about 0.3 s sooner (CHANGELOG.md). `dist/src/` stays
 * for the command-line tools. `server.mjs` is a small module in front of the bundled server
 * (`service.cjs`): it runs it with V8's code cache (src/launch.ts).
 */
import { cp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { BUNDLED_UI_FILES } from '../src/bundle-layout.ts';

/**
 * Left to Node's own resolution from node_modules: packages that find files beside their own
 * code at run time (a native addon; thread-stream, which starts its worker from its own folder,
 * and pino-pretty, which that worker loads for LOG_FORMAT=pretty), and esbuild, which only a run
 * from TypeScript sources uses. pino itself is bundled: the service gives it one target by name
 * (pino-pretty), which pino resolves from the bundle's place (node_modules beside it) and hands
 * to thread-stream, and it reads no file of its own for that. Required from node_modules, its
 * modules took every start on Node 20 some 16–24 ms to find and compile, which the service's code
 * cache now holds. Swagger UI is bundled with @fastify/static, which serves its files: a start on
 * Node 20 spent some 40 ms finding, reading and compiling their modules; its files are copied
 * beside the bundle (see BUNDLED_UI_FILES).
 */
export const UNBUNDLED = ['sharp', 'pino-pretty', 'thread-stream', 'esbuild'];

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * esbuild writes ASCII (its default charset) except inside regular expression literals, and
 * liquidjs's `slugify` has some holding letters past U+00FF (`œ`): one such character in a bundle
 * has V8 keep that bundle's whole source two bytes a character, for as long as the process runs.
 * liquidjs is read with every non-ASCII character written as a `\u` escape, which means the same
 * character in a regular expression or a string (and liquidjs puts none after a
 * backslash nor in a raw template). Measured on the bundled service with an empty content folder,
 * 4 MB less resident memory (115 against 119 MB) and a heap 4-5 MB smaller. The bundle test checks
 * that neither bundle holds a character past U+00FF.
 */
const asciiLiquid: Plugin = {
  name: 'ascii-liquidjs',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]node_modules[\\/]liquidjs[\\/].*\.[cm]?js$/ }, async ({ path: file }) => ({
      contents: (await readFile(file, 'utf8')).replace(
        /[^\0-\x7f]/g,
        (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
      loader: 'js',
    }));
  },
};

/** What both bundles are built with (see bundleServer). */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.12',
  external: UNBUNDLED,
  plugins: [asciiLiquid],
  // Minified: V8 parses each bundle whole, and parsing a large script takes memory from the
  // parsing thread's malloc arena that stays with the process. Unminified (5.6 and 2.7 MB), the
  // service held 25–35 MB more 15 s after a cold start at 10,000 pages than started from
  // dist/src/ (3 paired runs); minified (2.9 and 1.5 MB), as much as from dist/src/. Names are
  // kept for code that reads them (a function's or class's `name`); stack traces name minified
  // code, which `node --enable-source-maps dist/bundle/server.mjs` maps back to src/.
  minify: true,
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
} satisfies BuildOptions;

/**
 * Writes `server.mjs` (src/launch.ts), `service.cjs` (src/server.ts) and `render-worker.mjs`, with
 * source maps, into `outdir`, which must lie inside the project (the unbundled packages resolve
 * from its node_modules); the compile cache goes beside it, in `../compile-cache/`.
 *
 * The service is a CommonJS script, not an ES module: the launcher compiles it with V8's code
 * cache (src/launch.ts), which Node offers for scripts on every version it supports and for ES
 * modules only from Node 22.1. Its `import.meta.url` is the script's own file URL.
 */
export async function bundleServer(outdir: string): Promise<void> {
  await build({
    ...common,
    // server.mjs, what npm start runs, loads service.cjs with its code cache (src/launch.ts).
    entryPoints: {
      server: path.join(root, 'src/launch.ts'),
      'render-worker': path.join(root, 'src/content/render-worker.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // CommonJS dependencies in an ES module still call require() for Node's built-in modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  await build({
    ...common,
    entryPoints: { service: path.join(root, 'src/server.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // Swagger UI reads them there (its `baseDir` and `logo` options, as its README's "Bundling" says).
  const uiFiles = path.join(outdir, BUNDLED_UI_FILES);
  await rm(uiFiles, { recursive: true, force: true });
  await cp(path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static'), uiFiles, { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.join(root, 'dist/bundle');
  await bundleServer(outdir);
  process.stdout.write(`bundled the server into ${path.relative(root, outdir)}/\n`);
}
