import type { ImageVariantFormat } from '../../schemas/asset.ts';

/** The media type a variant of each format is sent as. */
export const VARIANT_MEDIA_TYPES: Readonly<Record<ImageVariantFormat, string>> = {
  webp: 'image/webp',
  avif: 'image/avif',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/**
 * The images variants are made of (by the media type the file is served as), and the format a
 * variant keeps when `format` is not asked for: its own where browsers show it, else PNG (a GIF
 * or TIFF variant is its first frame or page). SVG is left out on purpose: rasterizing it would
 * run librsvg over contributors' markup for an image that already scales; so are ICO and BMP,
 * which libvips does not read.
 */
const VARIANT_SOURCES: Readonly<Record<string, ImageVariantFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'png',
  'image/tiff': 'png',
};

/** The kinds of image variants are made of, for messages: "PNG, JPEG, WebP, AVIF, GIF and TIFF". */
export const VARIANT_SOURCE_NAMES = 'PNG, JPEG, WebP, AVIF, GIF and TIFF';

/**
 * The format of the variant of a file served as `sourceType` (`format` when asked for, else the
 * file's own or PNG), or null when no variant is made of such a file (a PDF, an SVG, a font…).
 */
export function variantFormatOf(sourceType: string, asked: ImageVariantFormat | undefined): ImageVariantFormat | null {
  const own = VARIANT_SOURCES[sourceType];
  if (own === undefined) return null;
  return asked ?? own;
}
