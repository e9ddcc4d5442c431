import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { imageSize } from 'image-size';
import type { SafeFileReader } from '../content/safe-file.ts';
import { forEachSliced } from '../content/time-slice.ts';
import { isImageAsset } from './asset-policy.ts';

/** Width and height of every image the content folder serves, by path: what page JSON and HTML give. */
export interface AssetIndex {
  /** path relative to the content folder → [width, height]; images that could not be measured are absent. */
  images: Record<string, [number, number]>;
  /** Hash-free signature of `images` (paths and sizes): equal keys, equal dimensions. */
  key: string;
}

/** Files looked at, at most: a folder holding more is a data dump, not a site. */
const MAX_FILES = 20_000;
/** Bytes read from the start of an image to find its dimensions (a JPEG's EXIF can push them further: read again, larger). */
const HEAD_BYTES = [64 * 1024, 2 * 1024 * 1024];
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Measures the images of the content folder, asynchronously and a few at a time (never a
 * synchronous read on the event loop), remembering each by size and modification time so a
 * reload only measures images that changed.
 */
export function createAssetIndexer(reader: SafeFileReader) {
  const measured = new Map<string, { size: number; modified: number; dimensions: [number, number] | null }>();

  return async function indexAssets(): Promise<AssetIndex> {
    const files = await listImages(reader.root);
    const images: Record<string, [number, number]> = {};
    const seen = new Set(files);
    for (const file of measured.keys()) if (!seen.has(file)) measured.delete(file);
    await forEachSliced(files, 16, async (file) => {
      const look = await reader.look(file);
      if (!look.ok) return;
      let known = measured.get(file);
      if (!known || known.size !== look.size || known.modified !== look.modified) {
        known = { size: look.size, modified: look.modified, dimensions: await measure(look.real) };
        measured.set(file, known);
      }
      if (known.dimensions) images[file] = known.dimensions;
    });
    const sorted = Object.keys(images).sort();
    const ordered: Record<string, [number, number]> = {};
    for (const file of sorted) ordered[file] = images[file];
    return { images: ordered, key: sorted.map((file) => `${file}:${images[file].join('x')}`).join('\n') };
  };
}

/** Images under the folder that would be served (no hidden or `_` folders), relative, `/` separators, sorted. */
async function listImages(root: string): Promise<string[]> {
  const found: string[] = [];
  const folders = [''];
  while (folders.length > 0 && found.length < MAX_FILES) {
    const folder = folders.pop()!;
    const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') continue;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push(relative);
      else if (isImageAsset(relative)) found.push(relative);
    }
  }
  return found.sort().slice(0, MAX_FILES);
}

/** Dimensions from the first bytes of the file (image-size reads the header), or null for an unreadable or unknown image. */
async function measure(real: string): Promise<[number, number] | null> {
  for (const bytes of HEAD_BYTES) {
    let handle;
    try {
      handle = await open(real, OPEN_FLAGS);
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      const size = imageSize(buffer.subarray(0, bytesRead));
      if (size.width && size.height) return [size.width, size.height];
      return null;
    } catch {
      // Too few bytes for this format's header, or not an image: try once more with more bytes.
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
  return null;
}
