import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledContent } from './app.ts';

/**
 * Writes `count` copies of the bundled home page into `dir` as `page-<i>.md`, each at
 * `/page-<i>/` and titled "Page <i>" (a large site of seed-sized pages), with `tail(i)` after
 * each page's body.
 */
export async function writeHomeCopies(dir: string, count: number, tail: (i: number) => string = () => ''): Promise<void> {
  const home = await readFile(path.join(bundledContent, 'index.md'), 'utf8');
  for (let i = 0; i < count; i++) {
    const page = home.replace(/^permalink: .*$/m, `permalink: /page-${i}/`).replace(/^title: .*$/m, `title: "Page ${i}"`);
    await writeFile(path.join(dir, `page-${i}.md`), `${page}${tail(i)}`);
  }
}
