import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageVariantFormat } from '../../schemas/asset.ts';
import { createEncodeQueue } from './encode-queue.ts';
import { ENCODER_SETTINGS, describeImage, encodeImage } from './image-encoder.ts';
import { createSharpLoader, type Sharp } from './sharp-loader.ts';
import { createVariantStore } from './variant-store.ts';

export { EncodeQueueFull } from './encode-queue.ts';
export { ImageRefused } from './image-encoder.ts';

/** Thrown when sharp could not be loaded on this platform: the service runs, variants do not (501). */
export class VariantsUnavailable extends Error {}

export interface ImageVariantsOptions {
  /** Folder of the variants kept on disk (IMAGE_CACHE_DIR). */
  cacheDir: string;
  /** Bytes of variants kept on disk, least recently used deleted first (IMAGE_CACHE_MB); 0 keeps none. */
  cacheMaxBytes: number;
  /** Encodes at once (IMAGE_ENCODES). */
  encodes: number;
  /** Encodes waiting for a place, at most; beyond, EncodeQueueFull (503). */
  maxWaiting: number;
  /** Pixels (width × height) an image may have for variants to be made of it (IMAGE_MAX_MEGAPIXELS). */
  maxPixels: number;
  /** How sharp is imported (tests make it fail, as on a platform without its binaries). */
  importSharp?: () => Promise<Sharp>;
  /** Told once why sharp could not be loaded. */
  onUnavailable?: (reason: string) => void;
}

/**
 * Where variants are kept when IMAGE_CACHE_DIR is not set: `images/` in the render cache folder,
 * or, with that turned off, a folder of this user's in the OS temporary folder.
 */
export function defaultImageCacheDir(renderCacheDir: string | null | undefined): string {
  if (renderCacheDir) return path.join(renderCacheDir, 'images');
  return path.join(tmpdir(), `content-api-images-${process.getuid?.() ?? 'user'}`);
}

/** A variant as planned from the source's header: its ETag is known before a pixel is encoded. */
export interface PlannedVariant {
  /** Strong ETag: the variant's key, derived from the source's content and everything the encode depends on. */
  etag: string;
  /** Its name in the disk cache ({@link ImageVariants.stored}). */
  key: string;
  /** The variant's bytes: from the disk cache, or encoded (in the queue) and stored. */
  produce(): Promise<Buffer>;
}

export interface ImageVariants {
  /**
   * Plans the variant of an image (`bytes`, whose SHA-256 is `sourceHash`), reading only its
   * header. Rejects with VariantsUnavailable or ImageRefused.
   */
  plan(source: { bytes: Buffer; sourceHash: string }, asked: { width?: number; format: ImageVariantFormat }): Promise<PlannedVariant>;
  /** A variant planned before (its `key`), if the disk cache still holds it: served without the source image. */
  stored(key: string): Promise<Buffer | undefined>;
}

/**
 * Resized and re-encoded images (`/v1/assets/…?w=&format=`), made with sharp (libvips) off the
 * event loop, a few at a time (encode-queue.ts), each made once and kept on disk (variant-store.ts).
 *
 * A variant's key, its file name and its ETag, is a SHA-256 of the source image's content, the
 * width it is resized to, its format, the encoder's settings and the versions of sharp and
 * libvips: derived from the input and the code, so an edited image or an upgraded encoder makes
 * new variants and no stale one is ever served. A `w` at or above the image's own width is not a
 * resize: it shares the key of the image at its own width. Requests for a variant being encoded
 * wait for that one encode.
 */
export function createImageVariants(options: ImageVariantsOptions): ImageVariants {
  const loadSharp = createSharpLoader(options.importSharp);
  const queue = createEncodeQueue({ concurrency: options.encodes, maxWaiting: options.maxWaiting });
  // Made on first use: a service that makes no variant never creates the folder.
  let store: ReturnType<typeof createVariantStore> | undefined;
  const storeOf = () => (store ??= createVariantStore({ dir: options.cacheDir, maxBytes: options.cacheMaxBytes }));
  const encoding = new Map<string, Promise<Buffer>>();
  let told = false;

  return {
    async plan({ bytes, sourceHash }, asked) {
      const loaded = await loadSharp();
      if (!loaded.ok) {
        if (!told) options.onUnavailable?.(loaded.reason);
        told = true;
        throw new VariantsUnavailable(loaded.reason);
      }
      const { sharp } = loaded;
      const facts = await describeImage(sharp, bytes, options.maxPixels);
      const width = asked.width !== undefined && asked.width < facts.width ? asked.width : undefined;
      const variant = { width, format: asked.format };
      const key = createHash('sha256')
        .update(
          JSON.stringify({
            source: sourceHash,
            ...variant,
            settings: ENCODER_SETTINGS[asked.format],
            sharp: sharp.versions.sharp,
            vips: sharp.versions.vips,
          }),
        )
        .digest('base64url');
      return {
        etag: `"${key.slice(0, 27)}"`,
        key,
        async produce() {
          const stored = await storeOf().get(key);
          if (stored) return stored;
          let encoded = encoding.get(key);
          if (!encoded) {
            encoded = queue
              .run(() => encodeImage(sharp, bytes, variant, options.maxPixels))
              .then(async (image) => {
                await storeOf().put(key, image);
                return image;
              })
              .finally(() => encoding.delete(key));
            encoding.set(key, encoded);
          }
          return encoded;
        },
      };
    },
    stored: (key) => storeOf().get(key),
  };
}
