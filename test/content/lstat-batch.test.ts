import { lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstatInWorker, startLstatWorker, startLstatWorkerEarly, stopEarlyLstatWorker } from '../../src/content/lstat-batch.ts';

describe('lstatInWorker', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lstat-batch-'));
    await writeFile(path.join(dir, 'page.md'), 'hello');
    await mkdir(path.join(dir, 'folder'));
    await symlink(path.join(dir, 'page.md'), path.join(dir, 'link.md'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives, in order, what lstat gives of each path: a file, a symlink (not followed), a folder, and the code of a missing one', async () => {
    const paths = ['page.md', 'link.md', 'folder', 'missing.md'].map((name) => path.join(dir, name));
    const table = await lstatInWorker(paths);
    const [file, link, folder, missing] = paths.map((_, at) => table.outcome(at));
    const info = await lstat(paths[0]);
    expect(file).toEqual({ kind: 'file', size: 5, mtimeMs: info.mtimeMs });
    expect(link).toEqual({ kind: 'symlink', size: (await lstat(paths[1])).size, mtimeMs: (await lstat(paths[1])).mtimeMs });
    expect(folder).toMatchObject({ kind: 'other' });
    expect(missing).toEqual({ code: 'ENOENT' });
  });

  it('takes the lstats on a worker started before the paths were known, once; a worker never asked ends', async () => {
    const paths = ['page.md', 'missing.md'].map((name) => path.join(dir, name));
    const worker = startLstatWorker();
    // The folder is listed meanwhile: the worker starts in the background.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const table = await worker.lstat(paths);
    expect(table.outcome(0)).toEqual({ kind: 'file', size: 5, mtimeMs: (await lstat(paths[0])).mtimeMs });
    expect(table.outcome(1)).toEqual({ code: 'ENOENT' });
    await expect(worker.lstat(paths)).rejects.toThrow('asked already');
    const unused = startLstatWorker();
    unused.stop();
    await expect(unused.lstat(paths)).rejects.toThrow('stopped');
  });

  it('gives the worker the launcher started early to the first to ask, once; one left untaken is ended and never given', async () => {
    const paths = [path.join(dir, 'page.md')];
    startLstatWorkerEarly();
    const early = startLstatWorker();
    expect((await early.lstat(paths)).outcome(0)).toMatchObject({ kind: 'file', size: 5 });
    // Taken: the next to ask gets a worker of its own, not the early one (asked already).
    expect((await startLstatWorker().lstat(paths)).outcome(0)).toMatchObject({ kind: 'file', size: 5 });
    startLstatWorkerEarly();
    stopEarlyLstatWorker();
    // The ended one is not given out: a new worker answers.
    expect((await startLstatWorker().lstat(paths)).outcome(0)).toMatchObject({ kind: 'file', size: 5 });
  });
});
