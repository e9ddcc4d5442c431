import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const seedFile = fileURLToPath(new URL('../content/index.md', import.meta.url));

/**
 * Writes a synthetic site of `count` seed-sized pages: the seed page with its own title and
 * permalink, linking to other pages of the site, so links resolve as on a real site.
 */
export async function writeSyntheticSite(dir: string, count: number): Promise<void> {
  const seed = await readFile(seedFile, 'utf8');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pages = Array.from({ length: count }, (_, i) => i);
  for (let start = 0; start < count; start += 500) {
    await Promise.all(pages.slice(start, start + 500).map((i) => writeFile(`${dir}/page-${i}.md`, syntheticPage(seed, i, count))));
  }
}

export function syntheticPage(seed: string, i: number, count: number, marker = ''): string {
  return seed
    .replace('permalink: /', `permalink: /page-${i}/`)
    .replace('title: "Welcome to pyOpenSci"', `title: "Page ${i}"`)
    .replace('(python-packages.html)', `(/page-${(i + 1) % count}/)`)
    .replace('(contributors.html)', `(/page-${(i + 7) % count}/)`)
    .replace('"/resources/"', `"/page-${(i + 3) % count}/"`)
    .replace('## About pyOpenSci', `## About pyOpenSci\n\n${marker}`);
}
