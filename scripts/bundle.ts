/**
 * `npm run build` bundles what `npm start` runs: the server and the render worker, each into one
 * ES module in `dist/bundle/`, with esbuild (the compiler tsx already brings). Loading the
 * compiled `dist/src/` opens some 750 files, one module at a time, before the service listens;
 * one file per thread starts the service about 0.3 s sooner and a render worker sooner too
 * (BENCHMARKS.md). `dist/src/` stays for the command-line tools and for code that imports the
 * modules one by one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Left to Node's own resolution from node_modules: packages that find files beside their own
 * code at run time (a native addon, the Swagger UI's static files, pino's transport workers), and
 * esbuild, which only a run from TypeScript sources uses.
 */
export const UNBUNDLED = ['sharp', 'pino', 'pino-pretty', 'thread-stream', '@fastify/swagger-ui', '@fastify/static', 'esbuild'];

const root = fileURLToPath(new URL('../', import.meta.url));

/** Writes `server.mjs` and `render-worker.mjs` (with source maps) into `outdir`, which must lie inside the project (the unbundled packages resolve from its node_modules). */
export async function bundleServer(outdir: string): Promise<void> {
  await build({
    entryPoints: { server: path.join(root, 'src/server.ts'), 'render-worker': path.join(root, 'src/content/render-worker.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.12',
    external: UNBUNDLED,
    sourcemap: true,
    logLevel: 'warning',
    // CommonJS dependencies in an ES module still call require() for Node's built-in modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = path.join(root, 'dist/bundle');
  await bundleServer(outdir);
  process.stdout.write(`bundled the server into ${path.relative(root, outdir)}/\n`);
}
