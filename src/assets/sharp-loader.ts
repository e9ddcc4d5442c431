import type sharpFunction from 'sharp';

/** The sharp function, as the package exports it. */
export type Sharp = typeof sharpFunction;

/** Whether sharp could be loaded: the library, or why not (for the log; never sent to a client). */
export type SharpLoad = { ok: true; sharp: Sharp } | { ok: false; reason: string };

/**
 * Loads sharp the first time an image variant is asked for, and only then: a service that never
 * makes one never maps libvips into memory, and one on a platform sharp ships no binary for still
 * starts (variants then answer 501). Each encode runs on one libvips thread (`concurrency(1)`), so
 * IMAGE_ENCODES bounds the cores variants take; libvips' own operation cache is off, since
 * variants are cached on disk, encoded once.
 */
export function createSharpLoader(importSharp: () => Promise<Sharp> = importPackage): () => Promise<SharpLoad> {
  let loading: Promise<SharpLoad> | undefined;
  return () =>
    (loading ??= importSharp().then(
      (sharp): SharpLoad => {
        sharp.concurrency(1);
        sharp.cache(false);
        return { ok: true, sharp };
      },
      (error: unknown): SharpLoad => ({ ok: false, reason: error instanceof Error ? error.message : String(error) }),
    ));
}

async function importPackage(): Promise<Sharp> {
  return (await import('sharp')).default;
}
