import { cp, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/build-app.ts';
import { failureDetail } from '../../src/plugins/content.ts';
import { bundledContent } from '../helpers/app.ts';

describe('GET /health and GET /ready', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function copyOfContent(): Promise<string> {
    const work = await mkdtemp(path.join(tmpdir(), 'health-'));
    cleanup.push(() => rm(work, { recursive: true, force: true }));
    await cp(bundledContent, path.join(work, 'content'), { recursive: true });
    return path.join(work, 'content');
  }

  it('answers liveness at once and readiness 503 with Retry-After until the first version is served, then 200', async () => {
    const app = await buildApp({ contentDir: bundledContent, loadInBackground: true, startupWaitMs: 0 });
    cleanup.push(() => app.close());
    // Right after ready, the load has only just started.
    const live = await app.inject('/health');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'starting', version: '', loaded_at: null, pages: 0 });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('1');
    expect(ready.headers['content-type']).toContain('application/problem+json');
    const page = await app.inject('/v1/pages/index');
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('1');
    expect(page.json()).toMatchObject({ status: 503, detail: expect.stringContaining('loading') });

    await app.content.loaded;
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready', version: app.content.snapshot.version });
    expect((await app.inject('/health')).json()).toMatchObject({ status: 'ok', pages: 6 });
    expect((await app.inject('/v1/pages/index')).statusCode).toBe(200);
  });

  it('lets a content request that arrives while loading wait for the first version', async () => {
    const app = await buildApp({ contentDir: bundledContent, loadInBackground: true });
    cleanup.push(() => app.close());
    const page = await app.inject('/v1/pages/index');
    expect(page.statusCode).toBe(200);
  });

  it('serves a new version and tells every other subscriber of it though one subscriber throws', async () => {
    const dir = await copyOfContent();
    const app = await buildApp({ contentDir: dir });
    cleanup.push(() => app.close());
    const version = app.content.snapshot.version;
    const told: string[] = [];
    app.content.onUpdate(() => {
      throw new Error('a subscriber of ours failed');
    });
    app.content.onUpdate((update) => told.push(update.version));

    await writeFile(path.join(dir, 'resources.md'), '---\ntitle: "Resources"\npermalink: /resources/\n---\n\nA subscriber test.\n');
    const next = await app.content.reload();
    expect(next.version).not.toBe(version);
    expect(told).toEqual([next.version]);
    expect((await app.inject('/health')).json()).toMatchObject({ status: 'ok', version: next.version });
    expect((await app.inject('/v1/pages/resources?format=html')).body).toContain('A subscriber test.');
  });

  it('names no machine path in the reason of a load that failed otherwise (a file system error names its paths)', async () => {
    const listing = await readdir(path.join(tmpdir(), 'no-such-folder-for-health')).catch((error: Error) => error);
    expect((listing as Error).message).toContain(tmpdir());
    expect(failureDetail(listing as Error)).toBe('the content could not be loaded (ENOENT)');
    expect(failureDetail(new Error(`something broke at ${tmpdir()}`))).toBe('the content could not be loaded (an unexpected error)');
  });

  it('says degraded, with the reason and since when, while the folder cannot be read, and keeps serving the last good version', async () => {
    const dir = await copyOfContent();
    const app = await buildApp({ contentDir: dir });
    cleanup.push(() => app.close());
    const version = app.content.snapshot.version;

    const moved = `${dir}-away`;
    await rename(dir, moved);
    await expect(app.content.reload()).rejects.toThrow(/cannot be read/);
    const health = (await app.inject('/health')).json();
    expect(health).toMatchObject({
      status: 'degraded',
      version,
      problem: { detail: 'the content folder cannot be read (ENOENT)', since: expect.any(String) },
    });
    expect(JSON.stringify(health)).not.toContain(tmpdir());
    expect((await app.inject('/ready')).json()).toMatchObject({ status: 'degraded', version });
    expect((await app.inject('/v1/pages/index')).statusCode).toBe(200);

    await rename(moved, dir);
    await app.content.reload();
    expect((await app.inject('/health')).json()).toMatchObject({ status: 'ok', version });
    expect((await app.inject('/health')).json().problem).toBeUndefined();
  });
});
