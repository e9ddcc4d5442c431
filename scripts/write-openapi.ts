/**
 * `npm run openapi` writes openapi.yaml from the routes' Zod schemas (the same document the
 * service serves at /openapi.json). `--check` only compares, and exits 1 when the committed
 * file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/build-app.ts';
import { openapiYaml } from '../src/plugins/openapi.ts';

const target = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const app = await buildApp({ contentDir: fileURLToPath(new URL('../content', import.meta.url)) });
const generated = openapiYaml(app);
await app.close();

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== generated) {
    process.stderr.write('openapi.yaml is stale: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi.yaml is up to date.\n');
} else {
  await writeFile(target, generated);
  process.stdout.write('wrote openapi.yaml\n');
}
