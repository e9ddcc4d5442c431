import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { exportSite } from '../../src/export/export-site.ts';
import { injectClient } from '../../src/export/source.ts';
import { bundledContent } from '../helpers/app.ts';

const ORIGINS = ['https://www.example.org', 'http://localhost:5173'];

async function appWith(corsOrigins: string[]) {
  return buildApp({ contentDir: bundledContent, corsOrigins, loadInBackground: false, precompressMaxBytes: 0 });
}

describe('npm run export when CORS_ORIGINS is a list of origins', () => {
  let app: Awaited<ReturnType<typeof appWith>>;
  let work: string;
  const exportTo = (name: string, corsOrigins?: string[]) =>
    exportSite(injectClient(app), { out: path.join(work, name), listen: '127.0.0.1:8080', upstreams: [], brotliModule: null, corsOrigins });

  beforeAll(async () => {
    app = await appWith(ORIGINS);
    work = await mkdtemp(path.join(tmpdir(), 'export-cors-'));
  });
  afterAll(async () => {
    await app?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("echoes the request's Origin only when it is in the list, compared exactly, with Vary: Origin", async () => {
    await exportTo('listed', ORIGINS);
    const conf = await readFile(path.join(work, 'listed', 'nginx.conf'), 'utf8');
    const map = /map \$http_origin \$export_cors_origin \{([^}]*)\}/.exec(conf)?.[1];
    expect(
      map
        ?.trim()
        .split('\n')
        .map((line) => line.trim()),
    ).toEqual([
      'default "";',
      '"~^https://www\\.example\\.org$" "https://www.example.org";',
      '"~^http://localhost:5173$" "http://localhost:5173";',
    ]);
    const included = await readFile(path.join(work, 'listed', 'static.conf'), 'utf8');
    expect(included).toContain('add_header access-control-allow-origin $export_cors_origin always;');
    expect(included).toMatch(/^add_header vary "Origin, Accept, Accept-Encoding" always;$/m);
    // The exact files (robots, OpenAPI, docs) echo it too.
    const robots = conf.slice(conf.indexOf('location = /robots.txt {'));
    expect(robots.slice(0, robots.indexOf('\n    }'))).toContain('add_header access-control-allow-origin $export_cors_origin always;');
  });

  it('refuses to export without the list, since nginx could not know which origins to allow', async () => {
    await expect(exportTo('unlisted')).rejects.toThrow(/export with the same CORS_ORIGINS as the replicas/);
  });

  it('refuses an origin the service does not allow', async () => {
    await expect(exportTo('other', [...ORIGINS, 'https://evil.example'])).rejects.toThrow(
      /CORS_ORIGINS lists https:\/\/evil\.example but the service does not allow it/,
    );
  });
});

describe('npm run export when CORS_ORIGINS is *', () => {
  it('sends the service\'s "access-control-allow-origin: *" as it is, with no Origin map', async () => {
    const app = await appWith(['*']);
    const work = await mkdtemp(path.join(tmpdir(), 'export-cors-'));
    try {
      await exportSite(injectClient(app), { out: path.join(work, 'any'), listen: '127.0.0.1:8080', upstreams: [], brotliModule: null });
      const conf = await readFile(path.join(work, 'any', 'nginx.conf'), 'utf8');
      expect(conf).not.toContain('$export_cors_origin');
      expect(await readFile(path.join(work, 'any', 'static.conf'), 'utf8')).toContain('add_header access-control-allow-origin "*" always;');
    } finally {
      await app.close();
      await rm(work, { recursive: true, force: true });
    }
  });
});
