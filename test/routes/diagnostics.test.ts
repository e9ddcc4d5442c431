import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { diagnoseContent } from '../../src/content/checks/check-snapshot.ts';
import { emptySnapshot } from '../../src/content/load.ts';
import { checkedAgainstContract } from '../helpers/contract.ts';
import { appFor, bundledContent, fixture } from '../helpers/app.ts';
import { makeFoldersTooDeepToList, removeTree } from '../helpers/long-path.ts';

const TOKEN = 'preview-token-for-tests-0123456789';

let bundled: FastifyInstance;
let checks: FastifyInstance;
let dir: string;
beforeAll(async () => {
  bundled = await appFor(bundledContent);
  dir = await mkdtemp(path.join(tmpdir(), 'diagnostics-'));
  await cp(fixture('content-checks/site'), dir, { recursive: true });
  checks = checkedAgainstContract(await buildApp({ contentDir: dir, previewToken: TOKEN }));
});
afterAll(async () => {
  await bundled.close();
  await checks.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /v1/diagnostics', () => {
  it('reports the version /health reports, and no problems for the bundled content, never cached', async () => {
    const response = await bundled.inject('/v1/diagnostics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const health = (await bundled.inject('/health')).json();
    expect(response.json()).toEqual({ version: health.version, pages: 6, errors: 0, warnings: 0, diagnostics: [] });
  });

  it('lists the same problems as npm run check (loader and content checks), except those of drafts', async () => {
    const body = (await checks.inject('/v1/diagnostics')).json();
    const all = await diagnoseContent(checks.content.snapshot, dir);
    expect(body.diagnostics).toEqual(all.filter((d) => d.file !== 'draft.md'));
    expect(body.diagnostics.map((d: { code: string }) => d.code)).toEqual(
      expect.arrayContaining(['broken-link', 'missing-anchor', 'duplicate-heading-id', 'missing-asset']),
    );
    expect(body).toMatchObject({ pages: 5, errors: 0, warnings: body.diagnostics.length });
  });

  it("lists drafts' problems too with a preview token, as private, no-store", async () => {
    const response = await checks.inject({ url: '/v1/diagnostics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.json().diagnostics).toContainEqual(expect.objectContaining({ file: 'draft.md', code: 'missing-anchor', line: 7 }));
    expect(response.json().pages).toBe(6);
  });

  it('passes over a folder that cannot be listed, serves every other page, and names the folder with a preview token only', async () => {
    const site = await mkdtemp(path.join(tmpdir(), 'diagnostics-unlistable-'));
    try {
      await cp(bundledContent, site, { recursive: true });
      // A pull request can add such folders.
      makeFoldersTooDeepToList(site);
      const app = await buildApp({ contentDir: site, previewToken: TOKEN });
      try {
        expect((await app.inject('/health')).json()).toMatchObject({ status: 'ok', pages: 6 });
        expect((await app.inject('/v1/pages/index')).statusCode).toBe(200);
        const preview = (await app.inject({ url: '/v1/diagnostics', headers: { authorization: `Bearer ${TOKEN}` } })).json();
        const unlisted = preview.diagnostics.filter((d: { code: string }) => d.code === 'folder-unlistable');
        expect(unlisted.length).toBeGreaterThan(0);
        expect(unlisted[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('ENAMETOOLONG') });
        expect(JSON.stringify(preview)).not.toContain(site);
        const open = (await app.inject('/v1/diagnostics')).json();
        expect(open.diagnostics.some((d: { code: string }) => d.code === 'folder-unlistable')).toBe(false);
      } finally {
        await app.close();
      }
    } finally {
      removeTree(site);
    }
  });

  it('computes problems once per content version: requests only look them up', async () => {
    const before = (await checks.inject('/v1/diagnostics')).json();
    await unlink(path.join(dir, 'images', 'logo.png'));
    expect((await checks.inject('/v1/diagnostics')).json()).toEqual(before);
  });

  it("answers with the new version's problems once content reloads", async () => {
    await writeFile(path.join(dir, 'bad.md'), '---\npermalink: /bad/\ntitle: 123\n---\n\nBroken.\n');
    await checks.content.reload();
    const after = (await checks.inject('/v1/diagnostics')).json();
    expect(after.version).toBe(checks.content.snapshot.version);
    expect(after.errors).toBe(1);
    expect(after.diagnostics).toContainEqual(
      expect.objectContaining({ file: 'bad.md', line: 3, column: 1, field: 'title', code: 'invalid-type', severity: 'error' }),
    );
    // The logo removed earlier (the last file of images/) is now reported: the checks ran again for the new version.
    expect(after.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'asset-folder-missing',
        message: expect.stringContaining('point into /images/ (first: /images/logo.png)'),
      }),
    );
  });
});

describe('the background check of each content version', () => {
  it('checks the first version once it is loaded after the server is ready (as npm start loads it), then stops', async () => {
    const lines: { msg?: string; version?: string }[] = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as { msg?: string; version?: string }) };
    const app = await buildApp(
      { contentDir: bundledContent, loadInBackground: true, precompressMaxBytes: 0 },
      { logger: { level: 'info', stream } },
    );
    try {
      await app.ready();
      await app.content.loaded;
      const checked = () => lines.filter((line) => line.msg === 'content checked');
      for (let waited = 0; checked().length === 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(checked().map((line) => line.version)).toEqual([app.content.snapshot.version]);
    } finally {
      await app.close();
    }
  });

  it('checks a snapshot with no pages (the one served before the first load) in a few turns', async () => {
    let turns = 0;
    const empty = emptySnapshot();
    await diagnoseContent(empty, bundledContent, {
      nextTurn: () => new Promise((resolve) => setImmediate(() => resolve(void (turns += 1)))),
    });
    expect(turns).toBeLessThan(20);
  });
});
