import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createContentLoader } from '../../src/content/load.ts';
import { PACK_KEY_FILE } from '../../src/content/pack-key.ts';
import { CHUNK_ENTRIES, createWarmStartPack, createWorkCache } from '../../src/content/render-cache.ts';
import { deriveRendererKey, handBundleRendererKey, rendererKey } from '../../src/content/renderer-key.ts';
import { copyOfBundledContent } from '../helpers/app.ts';

let work: string;
let warnings: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(async () => {
  warnings.mockRestore();
  await rm(work, { recursive: true, force: true });
});

/** The codes of the warnings emitted since the test began. */
const warningCodes = () => warnings.mock.calls.map((call) => (call[1] as { code?: string } | undefined)?.code);

const packFiles = async (cacheDir: string) => (await readdir(cacheDir)).filter((name) => name.endsWith('.bin')).sort();

/** Offsets of each chunk's header in a pack file (8 bytes of format, then 4 bytes of length and 32 of MAC per chunk). */
function chunkOffsets(pack: Buffer): number[] {
  const offsets = [];
  for (let at = 8; at < pack.length; at += 36 + pack.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

/** Ways a pack can be damaged on disk, each given the pack file's path. */
const damages: [string, (file: string, cacheDir: string, other: string) => Promise<void>][] = [
  ['an 8-byte garbage file', (file) => writeFile(file, Buffer.from([0x04, 0x00, 0x00, 0x00, 0xff, 0x0f, 0x6f, 0x22]))],
  ['a truncated pack', async (file) => truncate(file, Math.floor((await stat(file)).size / 2))],
  ['a chunk with a flipped byte', async (file) => {
    const pack = await readFile(file);
    pack[8 + 36 + 5] ^= 0x01;
    await writeFile(file, pack);
  }],
  ['a chunk header claiming 4 GB', async (file) => {
    const pack = await readFile(file);
    pack.writeUInt32LE(0xffff_ffff, 8);
    await writeFile(file, pack);
  }],
  ['a pack written with another install\'s key', (file, cacheDir, other) => cp(path.join(other, path.basename(file)), file)],
];

describe('the warm-start pack on disk (untrusted input)', () => {
  it.each(damages)('starts cold on %s, deletes it, and saves a good pack that warm-starts', async (_, damage) => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    const other = path.join(work, 'other-cache');
    for (const folder of [cacheDir, other]) {
      const first = createContentLoader(dir, { cacheDir: folder });
      expect((await first.load()).rendered).toBe(7);
      await first.close();
    }
    const packs = await packFiles(cacheDir);
    // The four parts of the pack, the resumed start's part and its record file (see resume.ts).
    expect(packs.map((name) => name.replace(/.*-/, '')).sort()).toEqual(['files.bin', 'inputs.bin', 'links.bin', 'parsed.bin', 'renders.bin', 'resume.bin']);
    for (const name of packs) await damage(path.join(cacheDir, name), cacheDir, other);

    const damaged = createContentLoader(dir, { cacheDir });
    expect(await damaged.resume()).toBeNull();
    const snapshot = await damaged.load();
    expect([snapshot.read, snapshot.rendered]).toEqual([7, 7]);
    expect(warningCodes()).toContain('RENDER_CACHE_DAMAGED');
    await damaged.close();

    const warmLoader = createContentLoader(dir, { cacheDir });
    const warm = await warmLoader.load();
    expect([warm.read, warm.rendered]).toEqual([0, 0]);
    expect(warm.version).toBe(snapshot.version);
    await warmLoader.close();
    // Every loader is closed: one left open would have its files closed by the garbage collector, with a warning.
    const resuming = createContentLoader(dir, { cacheDir });
    expect((await resuming.resume())?.snapshot.version).toBe(snapshot.version);
    await resuming.close();
  });

  it.each(damages)('deletes %s when reading it, keeping only what was verified before the damage', async (_, damage) => {
    work = await mkdtemp(path.join(tmpdir(), 'pack-'));
    const cacheDir = path.join(work, 'cache');
    const other = path.join(work, 'other-cache');
    // Several chunks.
    const entries = Array.from({ length: 3 * CHUNK_ENTRIES - 10 }, (_, index) => [`key-${index}`, { html: `<p>${index}</p>` }] as [string, unknown]);
    for (const folder of [cacheDir, other]) {
      const cache = createWorkCache<unknown>();
      cache.prime(entries);
      await createWarmStartPack(folder, work, 'renderer', { renders: cache }).write();
    }
    const [file] = await packFiles(cacheDir);
    await damage(path.join(cacheDir, file), cacheDir, other);

    const read = createWorkCache<unknown>();
    const pack = createWarmStartPack(cacheDir, work, 'renderer', { renders: read });
    await pack.read('renders');
    // At most the whole chunks verified before the damage (a truncated pack keeps its first chunk).
    const kept = read.entries();
    expect(kept.length).toBeLessThan(entries.length);
    expect(kept).toEqual(entries.slice(0, kept.length));
    expect(await packFiles(cacheDir)).toEqual([]);

    // The next write rebuilds it.
    read.prime(entries);
    await pack.write();
    const again = createWorkCache<unknown>();
    await createWarmStartPack(cacheDir, work, 'renderer', { renders: again }).read('renders');
    expect(again.entries()).toEqual(entries);
  });

  it('uses the chunks verified before a damaged one (entries are keyed by content hash)', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pack-'));
    const cacheDir = path.join(work, 'cache');
    const entries = Array.from({ length: 3 * CHUNK_ENTRIES - 10 }, (_, index) => [`key-${index}`, index] as [string, unknown]);
    const written = createWorkCache<unknown>();
    written.prime(entries);
    await createWarmStartPack(cacheDir, work, 'renderer', { renders: written }).write();
    const [name] = await packFiles(cacheDir);
    const file = path.join(cacheDir, name);
    const pack = await readFile(file);
    const offsets = chunkOffsets(pack);
    // Three chunks and the end mark; flip a byte in the third chunk.
    expect(offsets).toHaveLength(4);
    pack[offsets[2] + 36 + 3] ^= 0x80;
    await writeFile(file, pack);

    const read = createWorkCache<unknown>();
    await createWarmStartPack(cacheDir, work, 'renderer', { renders: read }).read('renders');
    expect(read.entries()).toEqual(entries.slice(0, 2 * CHUNK_ENTRIES));
    expect(await packFiles(cacheDir)).toEqual([]);
  });

  it('treats a pack cut at a chunk boundary (no end mark) as damaged', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pack-'));
    const cacheDir = path.join(work, 'cache');
    const written = createWorkCache<unknown>();
    written.prime(Array.from({ length: CHUNK_ENTRIES + 100 }, (_, index) => [`key-${index}`, index] as [string, unknown]));
    await createWarmStartPack(cacheDir, work, 'renderer', { renders: written }).write();
    const [name] = await packFiles(cacheDir);
    const file = path.join(cacheDir, name);
    await truncate(file, chunkOffsets(await readFile(file))[1]);

    await createWarmStartPack(cacheDir, work, 'renderer', { renders: createWorkCache() }).read('renders');
    expect(await packFiles(cacheDir)).toEqual([]);
    expect(warningCodes()).toContain('RENDER_CACHE_DAMAGED');
  });

  it('never opens a FIFO put where a pack belongs (it would block the load): starts cold', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    const first = createContentLoader(dir, { cacheDir });
    await first.load();
    await first.close();
    for (const name of await packFiles(cacheDir)) {
      await rm(path.join(cacheDir, name));
      execFileSync('mkfifo', [path.join(cacheDir, name)]);
    }
    const cold = createContentLoader(dir, { cacheDir });
    const snapshot = await cold.load();
    expect([snapshot.read, snapshot.rendered]).toEqual([7, 7]);
    await cold.close();
  });

  it('creates its folder 0700, its key and packs 0600', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    const loader = createContentLoader(dir, { cacheDir });
    await loader.load();
    await loader.close();
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    const names = await readdir(cacheDir);
    expect(names).toContain(PACK_KEY_FILE);
    expect((await stat(path.join(cacheDir, PACK_KEY_FILE))).size).toBe(32);
    for (const name of names) expect([name, (await stat(path.join(cacheDir, name))).mode & 0o777]).toEqual([name, 0o600]);
    expect(warnings).not.toHaveBeenCalled();
  });

  it.each([
    ['a world-writable folder', (cacheDir: string) => chmod(cacheDir, 0o777)],
    ['a group-writable folder', (cacheDir: string) => chmod(cacheDir, 0o770)],
    ['a group-writable key file', (cacheDir: string) => chmod(path.join(cacheDir, PACK_KEY_FILE), 0o620)],
  ])('refuses %s with one warning, and runs cold without writing', async (_, loosen) => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    const first = createContentLoader(dir, { cacheDir });
    await first.load();
    await first.close();
    const packs = await packFiles(cacheDir);
    await loosen(cacheDir);

    for (let start = 0; start < 2; start++) {
      const loader = createContentLoader(dir, { cacheDir });
      expect((await loader.load()).rendered).toBe(7);
      await loader.close();
    }
    expect(warningCodes()).toEqual(['RENDER_CACHE_UNSAFE']);
    expect(String(warnings.mock.calls[0][0])).toMatch(/writable by group or others/);
    // Nothing read, nothing written: the packs are as they were.
    expect(await packFiles(cacheDir)).toEqual(packs);
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder owned by another user', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    await mkdir(cacheDir, { mode: 0o700 });
    await chown(cacheDir, 54321, 54321);
    const loader = createContentLoader(dir, { cacheDir });
    expect((await loader.load()).rendered).toBe(7);
    await loader.close();
    expect(warningCodes()).toEqual(['RENDER_CACHE_UNSAFE']);
    expect(String(warnings.mock.calls[0][0])).toMatch(/belongs to another user/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('replaces a damaged key file (the packs under the old key then start cold)', async () => {
    const { dir, cacheDir, ...site } = await copyOfBundledContent('pack-');
    work = site.work;
    const first = createContentLoader(dir, { cacheDir });
    await first.load();
    await first.close();
    await writeFile(path.join(cacheDir, PACK_KEY_FILE), randomBytes(5));

    const damaged = createContentLoader(dir, { cacheDir });
    expect((await damaged.load()).rendered).toBe(7);
    await damaged.close();
    expect((await stat(path.join(cacheDir, PACK_KEY_FILE))).size).toBe(32);
    const restarted = createContentLoader(dir, { cacheDir });
    expect((await restarted.load()).rendered).toBe(0);
    await restarted.close();
  });
});

describe('the renderer key', () => {
  const markdownSources = fileURLToPath(new URL('../../src/markdown/', import.meta.url));

  it('is computed once per process, as a sha256', async () => {
    const key = await rendererKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await rendererKey()).toBe(key);
  });

  it('changes when a renderer module changes, and the pack then misses', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'renderer-key-'));
    const roots = [path.join(work, 'markdown')];
    await cp(markdownSources, roots[0], { recursive: true });
    const before = await deriveRendererKey({ roots, nodeModules: null });
    expect(await deriveRendererKey({ roots, nodeModules: null })).toBe(before);

    const cacheDir = path.join(work, 'cache');
    const written = createWorkCache<unknown>();
    written.set('page', '<p>rendered by the old code</p>');
    await createWarmStartPack(cacheDir, work, before, { renders: written }).write();
    const hit = createWorkCache<unknown>();
    await createWarmStartPack(cacheDir, work, before, { renders: hit }).read('renders');
    expect(hit.peek('page')).toBe('<p>rendered by the old code</p>');

    const sanitizer = path.join(roots[0], 'sanitize-schema.ts');
    await writeFile(sanitizer, `${await readFile(sanitizer, 'utf8')}\n// allow one more tag\n`);
    const after = await deriveRendererKey({ roots, nodeModules: null });
    expect(after).not.toBe(before);
    const miss = createWorkCache<unknown>();
    await createWarmStartPack(cacheDir, work, after, { renders: miss }).read('renders');
    expect(miss.entries()).toEqual([]);

    // A new module counts too.
    await writeFile(path.join(roots[0], 'rehype-new.ts'), 'export {};\n');
    expect(await deriveRendererKey({ roots, nodeModules: null })).not.toBe(after);
  });

  it('is the same when the launcher computes it for a bundle as when the service derives it', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'renderer-key-'));
    const bundle = path.join(work, 'bundle');
    await mkdir(path.join(bundle, 'ui'), { recursive: true });
    await writeFile(path.join(bundle, 'service.cjs'), 'module.exports = 1;\n');
    await writeFile(path.join(bundle, 'render-worker.mjs'), 'export {};\n');
    await writeFile(path.join(bundle, 'ui', 'index.js'), 'void 0;\n');
    await writeFile(path.join(bundle, 'service.cjs.map'), '{}');
    const handed = Symbol.for('content-api.renderer-key');
    try {
      const derived = await deriveRendererKey({ roots: [bundle], nodeModules: null });
      expect(handBundleRendererKey(bundle, new Map())).toBe(derived);
      // The service script's digest, as the launcher has it: the same key.
      const script = await readFile(path.join(bundle, 'service.cjs'));
      const digest = createHash('sha256').update(script).digest();
      expect(handBundleRendererKey(bundle, new Map([[path.join(bundle, 'service.cjs'), { size: script.length, digest }]]))).toBe(derived);
      // It is the one the launcher hands over: a digest given for a file counts, not the file.
      const other = createHash('sha256').update('other code').digest();
      expect(handBundleRendererKey(bundle, new Map([[path.join(bundle, 'service.cjs'), { size: script.length, digest: other }]]))).not.toBe(derived);
      await writeFile(path.join(bundle, 'render-worker.mjs'), 'export const changed = 1;\n');
      expect(handBundleRendererKey(bundle, new Map())).toBe(await deriveRendererKey({ roots: [bundle], nodeModules: null }));
      expect(handBundleRendererKey(bundle, new Map())).not.toBe(derived);
    } finally {
      delete (globalThis as { [handed]?: string })[handed];
    }
  });

  it('changes when a markdown package is upgraded, not when an unrelated one is', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'renderer-key-'));
    const nodeModules = path.join(work, 'node_modules');
    const install = async (name: string, version: string) => {
      await mkdir(path.join(nodeModules, name), { recursive: true });
      await writeFile(path.join(nodeModules, name, 'package.json'), JSON.stringify({ name, version }));
    };
    await install('remark-parse', '11.0.0');
    await install('left-pad', '1.0.0');
    const before = await deriveRendererKey({ roots: [], nodeModules });
    await install('left-pad', '1.3.0');
    expect(await deriveRendererKey({ roots: [], nodeModules })).toBe(before);
    await install('remark-parse', '11.0.1');
    expect(await deriveRendererKey({ roots: [], nodeModules })).not.toBe(before);
  });
});
