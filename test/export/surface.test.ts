import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { exportSite } from '../../src/export/export-site.ts';
import { injectClient } from '../../src/export/source.ts';

const page = (title: string) => `---\ntitle: ${title}\n---\n\n## FAQ\n\n### How long does a review take?\n\nAbout three months.\n`;

describe('npm run export of pages made from one template', () => {
  let work: string;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'export-surface-'));
    await mkdir(path.join(work, 'content'));
    await writeFile(path.join(work, 'content', 'one.md'), page('One'));
    await writeFile(path.join(work, 'content', 'two.md'), page('Two'));
    app = await buildApp({ contentDir: path.join(work, 'content'), loadInBackground: false, precompressMaxBytes: 0 });
  });
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('exports a FAQ entry listed twice (the same ID on two pages) once, so nginx.conf names each file once', async () => {
    const ids = (JSON.parse((await app.inject({ url: '/v1/faq' })).body) as { items: { id: string }[] }).items.map((item) => item.id);
    expect(ids).toEqual(['how-long-does-a-review-take', 'how-long-does-a-review-take']);
    const result = await exportSite(injectClient(app), {
      out: path.join(work, 'export'),
      listen: '127.0.0.1:8080',
      upstreams: [],
      brotliModule: null,
    });
    const variants = result.files.filter((file) => file.url === '/v1/faq/how-long-does-a-review-take').map((file) => file.variant);
    expect(variants.sort()).toEqual(['html', 'json']);
    const keys = (await readFile(path.join(work, 'export', 'etags.map'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[0]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
