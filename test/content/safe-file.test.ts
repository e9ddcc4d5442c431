import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFileReader, readInsideSync, resolveUnder } from '../../src/content/safe-file.ts';

describe('createSafeFileReader', () => {
  let work: string;
  let root: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'safe-file-'));
    root = path.join(work, 'site');
    await mkdir(path.join(root, 'inner'), { recursive: true });
    await mkdir(path.join(work, 'outside'));
    await writeFile(path.join(work, 'outside', 'secret.txt'), 'secret');
    // A folder beside the content folder whose name begins with its name: outside all the same.
    await mkdir(path.join(work, 'site-private'));
    await writeFile(path.join(work, 'site-private', 'secret.txt'), 'secret');
    await writeFile(path.join(root, 'page.md'), 'page');
    await writeFile(path.join(root, 'big.md'), 'x'.repeat(2000));
    await symlink(path.join(root, 'page.md'), path.join(root, 'inner', 'alias.md'));
    await symlink(path.join(work, 'outside', 'secret.txt'), path.join(root, 'out.md'));
    await symlink(path.join(work, 'outside'), path.join(root, 'linked-folder'));
    await symlink('../../outside/secret.txt', path.join(root, 'inner', 'relative-out.md'));
    await symlink(path.join(work, 'site-private', 'secret.txt'), path.join(root, 'beside.md'));
    await symlink(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    await symlink(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('reads a regular file inside the folder, and a symlink that stays inside', async () => {
    const reader = createSafeFileReader(root);
    const read = await reader.read('page.md', 100);
    expect(read.ok && read.bytes.toString()).toBe('page');
    const alias = await reader.read('inner/alias.md', 100);
    expect(alias.ok && alias.bytes.toString()).toBe('page');
  });

  it('refuses symlinks out of the folder, through a linked folder, relative or looping', async () => {
    const reader = createSafeFileReader(root);
    for (const file of ['out.md', 'beside.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', '../outside/secret.txt', '../site-private/secret.txt']) {
      expect(await reader.read(file, 100), file).toMatchObject({ ok: false, reason: 'outside-root' });
    }
  });

  it("looks refuse the same links as reads, and give a file's real path from its folder's", async () => {
    const reader = createSafeFileReader(root);
    for (const file of ['out.md', 'beside.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', '../site-private/secret.txt']) {
      expect(await reader.look(file), file).toMatchObject({ ok: false, reason: 'outside-root' });
    }
    const real = await realpath(path.join(root, 'page.md'));
    expect(await reader.look('page.md')).toMatchObject({ ok: true, real });
    expect(await reader.look('inner/alias.md')).toMatchObject({ ok: true, real });
  });

  it('never reads through a folder swapped for a symlink out of the folder during a load, and the next load sees the swap', async () => {
    const site = path.join(work, 'swap-site');
    await mkdir(path.join(site, 'docs'), { recursive: true });
    await writeFile(path.join(site, 'docs', 'secret.txt'), 'inside');
    const reader = createSafeFileReader(site);
    expect(await reader.look('docs/secret.txt')).toMatchObject({ ok: true });
    // The folder becomes a link to one outside holding a file of the same name.
    await rename(path.join(site, 'docs'), path.join(work, 'swapped-docs'));
    await symlink(path.join(work, 'outside'), path.join(site, 'docs'));
    expect(await reader.read('docs/secret.txt', 100)).toMatchObject({ ok: false, reason: 'outside-root' });
    reader.beginLoad();
    expect(await reader.look('docs/secret.txt')).toMatchObject({ ok: false, reason: 'outside-root' });
  });

  it('never reads nor opens a file outside through a folder swapped for a symlink between the check and the open', async () => {
    const race = await mkdtemp(path.join(tmpdir(), 'safe-file-race-'));
    const site = path.join(race, 'site');
    await mkdir(path.join(site, 'sub'), { recursive: true });
    await mkdir(path.join(race, 'outside'));
    await writeFile(path.join(site, 'sub', 'a.txt'), 'inside');
    await writeFile(path.join(race, 'outside', 'a.txt'), 'OUTSIDE-SECRET');
    await symlink(path.join(race, 'outside'), path.join(site, 'sub.link'));
    // Another process swaps `sub` for the link and back as fast as it can (two cores: truly at once).
    const swap = `const fs = require('node:fs'); const end = Date.now() + 3000;
      while (Date.now() < end) { fs.renameSync('sub', 'sub.real'); fs.renameSync('sub.link', 'sub'); fs.renameSync('sub', 'sub.link'); fs.renameSync('sub.real', 'sub'); }`;
    const swapper = spawn(process.execPath, ['-e', swap], { cwd: site, stdio: 'ignore' });
    const reader = createSafeFileReader(site);
    const seen = new Set<string>();
    try {
      const until = performance.now() + 2000;
      while (performance.now() < until) {
        const read = await reader.read('sub/a.txt', 1024);
        if (read.ok) seen.add(read.bytes.toString());
        const opened = await reader.open('sub/a.txt', 1024);
        if (opened.ok) {
          seen.add((await opened.handle.readFile()).toString());
          await opened.handle.close();
        }
        const inWorker = readInsideSync(site, 'sub/a.txt', 1024);
        if (inWorker.ok) seen.add(inWorker.bytes.toString());
      }
    } finally {
      swapper.kill();
      await new Promise((resolve) => swapper.once('exit', resolve));
      await rm(race, { recursive: true, force: true });
    }
    expect(seen.has('inside')).toBe(true);
    expect(seen.has('OUTSIDE-SECRET')).toBe(false);
  }, 20_000);

  it('looks at files whose lstat was taken at once on a worker (prime) exactly as at the others', async () => {
    const files = ['page.md', 'big.md', 'inner/alias.md', 'out.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', 'pipe.md', 'gone.md', '../outside/secret.txt'];
    const plain = createSafeFileReader(root);
    const primed = createSafeFileReader(root);
    await primed.prime(files);
    for (const file of files) expect(await primed.look(file), file).toEqual(await plain.look(file));
  });

  it('resolves a relative path under the folder exactly as path.resolve does, normal or not', () => {
    const relatives = ['page.md', 'a/b/c.md', 'a/./b.md', './page.md', 'a/../b.md', '../outside.md', '..', '.', 'a//b.md', 'a/', '/etc/passwd', '', '.hidden/x.md', 'a/..b.md', 'a/b..', 'x\\y.md', 'a/.../b.md'];
    for (const base of [root, '/']) for (const relative of relatives) expect(resolveUnder(base, relative), `${base} + ${relative}`).toBe(path.resolve(base, relative));
  });

  it('looks at many files at once (lookAll) exactly as at each alone, primed or not, links and FIFOs included', async () => {
    const files = ['page.md', 'big.md', 'inner/alias.md', 'out.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', 'pipe.md', 'gone.md', '../outside/secret.txt'];
    const plain = createSafeFileReader(root);
    const expected = [];
    for (const file of files) expected.push(await plain.look(file));
    const primed = createSafeFileReader(root);
    await primed.prime(files);
    expect(await primed.lookAll(files)).toEqual(expected);
    expect(await createSafeFileReader(root).lookAll(files)).toEqual(expected);
  });

  it('tells from the primed lstats alone whether files are unchanged, and leaves to looks what only a look can judge', async () => {
    const site = path.join(work, 'unchanged-site');
    await mkdir(path.join(site, 'docs'), { recursive: true });
    await writeFile(path.join(site, 'page.md'), 'page');
    await writeFile(path.join(site, 'docs', 'guide.md'), 'guide');
    const files = ['docs/guide.md', 'page.md'];
    const plain = createSafeFileReader(site);
    const saved: (readonly [number, number])[] = [];
    for (const file of files) {
      const look = await plain.look(file);
      if (!look.ok) throw new Error(`${file} should be readable`);
      saved.push([look.size, look.modified] as const);
    }
    const expected = (at: number) => saved[at];
    const reader = createSafeFileReader(site);
    expect(await reader.unchangedSincePrime(files, expected)).toBeNull();
    await reader.prime(files);
    expect(await reader.unchangedSincePrime(['page.md'], expected)).toBeNull();
    expect(await reader.unchangedSincePrime(files, expected)).toBe(true);
    // Used up, as the files' looks would use them.
    expect(await reader.unchangedSincePrime(files, expected)).toBeNull();

    await reader.prime(files);
    expect(await reader.unchangedSincePrime(files, (at) => (at === 1 ? [saved[1][0] + 1, saved[1][1]] : saved[at]))).toBe(false);

    // A folder now a link out of the content folder, its file of the same size and time: a look judges it (outside).
    await rename(path.join(site, 'docs'), path.join(work, 'unchanged-docs'));
    await symlink(path.join(work, 'unchanged-docs'), path.join(site, 'docs'));
    reader.beginLoad();
    await reader.prime(files);
    expect(await reader.unchangedSincePrime(files, expected)).toBeNull();
    expect(await reader.lookAll(files)).toMatchObject([{ ok: false, reason: 'outside-root' }, { ok: true }]);

    // A page that is a symlink inside the folder: a look follows it.
    await writeFile(path.join(site, 'target.md'), 'page');
    await rm(path.join(site, 'page.md'));
    await symlink(path.join(site, 'target.md'), path.join(site, 'page.md'));
    reader.beginLoad();
    await reader.prime(['page.md']);
    expect(await reader.unchangedSincePrime(['page.md'], () => saved[1])).toBeNull();
  });

  it('uses a primed lstat for one look of the load: the next look, and every read, take their own', async () => {
    const site = path.join(work, 'primed-site');
    await mkdir(site, { recursive: true });
    await writeFile(path.join(site, 'page.md'), 'short');
    const reader = createSafeFileReader(site);
    await reader.prime(['page.md']);
    await writeFile(path.join(site, 'page.md'), 'a longer text');
    expect(await reader.read('page.md', 100)).toMatchObject({ ok: true, size: 13 });
    expect(await reader.look('page.md')).toMatchObject({ ok: true, size: 5 });
    expect(await reader.look('page.md')).toMatchObject({ ok: true, size: 13 });
  });

  it('keeps no primed lstat for a load begun after the prime was asked for: that load looks for itself', async () => {
    const site = path.join(work, 'primed-late');
    await mkdir(site, { recursive: true });
    await writeFile(path.join(site, 'page.md'), 'short');
    const reader = createSafeFileReader(site);
    reader.beginLoad();
    const priming = reader.prime(['page.md']);
    reader.beginLoad();
    await priming;
    await writeFile(path.join(site, 'page.md'), 'a longer text');
    expect(await reader.look('page.md')).toMatchObject({ ok: true, size: 13 });
  });

  it('never opens a FIFO (it would block), and reports it', async () => {
    const reader = createSafeFileReader(root);
    expect(await reader.read('pipe.md', 100)).toMatchObject({ ok: false, reason: 'not-a-file' });
    expect(await reader.look('pipe.md')).toMatchObject({ ok: false, reason: 'not-a-file' });
  });

  it('refuses a file over its cap before reading it, and says a missing file is missing', async () => {
    const reader = createSafeFileReader(root);
    expect(await reader.read('big.md', 1000)).toMatchObject({ ok: false, reason: 'too-large', size: 2000 });
    expect(await reader.read('gone.md', 1000)).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('reads without waiting (a render worker reading a body again) exactly what a read reads, and refuses what it refuses', async () => {
    const reader = createSafeFileReader(root);
    const files = ['page.md', 'inner/alias.md', 'out.md', 'beside.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', '../outside/secret.txt', '../site-private/secret.txt', 'pipe.md', 'big.md', 'gone.md'];
    for (const file of files) {
      const read = await reader.read(file, 1000);
      const sync = readInsideSync(root, file, 1000);
      expect(sync.ok ? { ok: true, text: sync.bytes.toString(), size: sync.size } : sync, file).toEqual(
        read.ok ? { ok: true, text: read.bytes.toString(), size: read.size } : read,
      );
    }
    expect(readInsideSync(root, 'out.md', 1000)).toMatchObject({ ok: false, reason: 'outside-root' });
    expect(readInsideSync(root, 'pipe.md', 1000)).toMatchObject({ ok: false, reason: 'not-a-file' });
    expect(readInsideSync(root, 'big.md', 1000)).toMatchObject({ ok: false, reason: 'too-large', size: 2000 });
  });

  it('opens, to stream from, only what it reads: a file or a link inside, never a link out, a FIFO or a file over its cap', async () => {
    const reader = createSafeFileReader(root);
    const opened = await reader.open('inner/alias.md', 100);
    expect(opened).toMatchObject({ ok: true, size: 4 });
    if (opened.ok) {
      expect((await opened.handle.readFile()).toString()).toBe('page');
      expect(opened.version).toMatch(/^\d+:\d+:4:[\d.]+$/);
      await opened.handle.close();
    }
    for (const file of ['out.md', 'linked-folder/secret.txt', 'inner/relative-out.md', 'loop-a', '../outside/secret.txt']) {
      expect(await reader.open(file, 100), file).toMatchObject({ ok: false, reason: 'outside-root' });
    }
    expect(await reader.open('pipe.md', 100)).toMatchObject({ ok: false, reason: 'not-a-file' });
    expect(await reader.open('big.md', 1000)).toMatchObject({ ok: false, reason: 'too-large', size: 2000 });
    expect(await reader.open('gone.md', 1000)).toMatchObject({ ok: false, reason: 'missing' });
  });
});
