/**
 * `npm run openapi` writes openapi.yaml from the routes' Zod schemas (the same document the
 * service serves at /openapi.json) and schemas/front-matter.schema.json from the content model.
 * `--check` only compares, and exits 1 when a committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/build-app.ts';
import { contractFiles } from './contract-files.ts';

const root = new URL('../', import.meta.url);
const app = await buildApp({ contentDir: fileURLToPath(new URL('content', root)) });
const files = contractFiles(app);
await app.close();

if (process.argv.includes('--check')) {
  let stale = 0;
  for (const { path, content } of files) {
    const committed = await readFile(new URL(path, root), 'utf8').catch(() => '');
    if (committed !== content) {
      process.stderr.write(`${path} is stale: run \`npm run openapi\` and commit the result.\n`);
      stale += 1;
    }
  }
  if (stale > 0) process.exit(1);
  process.stdout.write(`${files.map((file) => file.path).join(' and ')} are up to date.\n`);
} else {
  for (const { path, content } of files) {
    await writeFile(new URL(path, root), content);
    process.stdout.write(`wrote ${path}\n`);
  }
}
