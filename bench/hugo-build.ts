/**
 * The yardstick of `npm run bench:ingest`: Hugo building the same markdown files, content only
 * (one-line layouts, no taxonomies, feeds or sitemap), so the service's times are also ratios.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Writes a Hugo project in `dir` whose content folder is `contentDir` (the service's pages, as they are). */
export async function writeHugoProject(dir: string, contentDir: string): Promise<void> {
  await mkdir(path.join(dir, 'layouts', '_default'), { recursive: true });
  await writeFile(
    path.join(dir, 'hugo.toml'),
    [
      'baseURL = "http://localhost/"',
      `contentDir = ${JSON.stringify(contentDir)}`,
      // Content only: pages and the home page listing them.
      'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
      '[markup.goldmark.renderer]',
      // Raw HTML in markdown is kept (the service keeps it too, sanitized).
      'unsafe = true',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'layouts', '_default', 'single.html'), '{{ .Content }}\n');
  await writeFile(path.join(dir, 'layouts', '_default', 'list.html'), '{{ range .Pages }}{{ .Title }}{{ end }}\n');
}

/** Builds the project into a fresh `out` folder; the wall-clock milliseconds and how many pages it wrote. */
export async function buildWithHugo(dir: string, out: string): Promise<{ ms: number; pages: number }> {
  await rm(out, { recursive: true, force: true });
  const started = performance.now();
  await run('hugo', ['--source', dir, '--destination', out, '--cacheDir', path.join(dir, 'cache'), '--quiet'], { maxBuffer: 1 << 24 });
  const ms = performance.now() - started;
  const pages = (await readdir(out, { recursive: true })).filter((file) => file.endsWith('index.html')).length - 1;
  return { ms, pages };
}
