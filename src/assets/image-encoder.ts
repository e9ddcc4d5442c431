import type { ImageVariantFormat } from '../../schemas/asset.ts';
import type { Sharp } from './sharp-loader.ts';

/**
 * Why no variant is made of an image, in words for the client ("it is 20000×20000 pixels…"):
 * the image, not the service, is the problem (422).
 */
export class ImageRefused extends Error {}

/** An image's size as it is shown, EXIF orientation applied: what `w` is measured against. */
export interface ImageFacts {
  width: number;
  height: number;
}

/**
 * How each format is encoded. Part of every variant's key (image-variants.ts): a change here
 * makes new variants, with new ETags, never a stale file under an old name.
 */
export const ENCODER_SETTINGS = {
  webp: { quality: 80 },
  avif: { quality: 50, effort: 4 },
  jpeg: { quality: 80, mozjpeg: true },
  png: { compressionLevel: 9 },
} as const satisfies Record<ImageVariantFormat, object>;

/**
 * The formats variants are made of, by the signature their bytes start with (AVIF: an ISO media
 * file of an AV1 image brand). A file is judged by what its bytes are, not its name, and before
 * libvips sees it: libvips picks its decoder by the bytes too, so an SVG or PDF renamed `.png`
 * would otherwise reach librsvg or PDFium, the very decoders variants leave out.
 */
const SIGNATURES: readonly { format: string; matches: (bytes: Buffer) => boolean }[] = [
  { format: 'png', matches: (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { format: 'jpeg', matches: (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff },
  { format: 'gif', matches: (bytes) => /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6)) },
  { format: 'webp', matches: (bytes) => bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP' },
  { format: 'tiff', matches: (bytes) => ['II*\0', 'MM\0*'].includes(bytes.toString('latin1', 0, 4)) },
  {
    format: 'heif',
    matches: (bytes) =>
      bytes.toString('latin1', 4, 8) === 'ftyp' && ['avif', 'avis', 'mif1', 'msf1'].includes(bytes.toString('latin1', 8, 12)),
  },
];

/** The decoders variants may use, as libvips names them (`heif` reads AVIF): what the signatures above admit. */
const ALLOWED_DECODERS = new Set(SIGNATURES.map(({ format }) => format));

/** Seconds one encode may run before libvips stops it (an AVIF of a very large image could take minutes). */
export const ENCODE_TIMEOUT_SECONDS = 30;

/**
 * The image's shown size, from its header alone (libvips reads no pixels for it), refused when
 * it is not an image libvips reads or has more than `maxPixels` pixels: a decompression bomb (a
 * few KB that decode to gigabytes) is turned away before a pixel is decoded.
 */
export async function describeImage(sharp: Sharp, bytes: Buffer, maxPixels: number): Promise<ImageFacts> {
  if (!SIGNATURES.some(({ matches }) => matches(bytes)))
    throw new ImageRefused('its bytes are not a PNG, JPEG, WebP, AVIF, GIF or TIFF image, whatever its name says');
  let metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefused('it could not be read as an image (damaged, or not the kind of image its name says)');
  }
  if (!ALLOWED_DECODERS.has(metadata.format))
    throw new ImageRefused('its bytes are not a PNG, JPEG, WebP, AVIF, GIF or TIFF image, whatever its name says');
  const { width, height } = metadata.autoOrient;
  if (!(width > 0 && height > 0)) throw new ImageRefused('it gives no width and height');
  if (width * height > maxPixels) {
    throw new ImageRefused(
      `it is ${width}×${height} pixels (${megapixels(width * height)} megapixels); variants are made of images of at most ${megapixels(maxPixels)} megapixels (IMAGE_MAX_MEGAPIXELS)`,
    );
  }
  return { width, height };
}

/**
 * Encodes the variant on a libvips thread (off the event loop): EXIF orientation applied, resized
 * to `width` when given (never enlarged), metadata such as EXIF and GPS left out. libvips checks
 * the pixel limit again as it decodes (`limitInputPixels`), so a header that lies is caught too.
 */
export async function encodeImage(
  sharp: Sharp,
  bytes: Buffer,
  variant: { width?: number; format: ImageVariantFormat },
  maxPixels: number,
): Promise<Buffer> {
  let pipeline = sharp(bytes, { limitInputPixels: Math.floor(maxPixels), autoOrient: true });
  if (variant.width !== undefined) pipeline = pipeline.resize({ width: variant.width, withoutEnlargement: true });
  try {
    return await pipeline
      .toFormat(variant.format, ENCODER_SETTINGS[variant.format])
      .timeout({ seconds: ENCODE_TIMEOUT_SECONDS })
      .toBuffer();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/pixel limit/i.test(message))
      throw new ImageRefused(`it has more than ${megapixels(maxPixels)} megapixels once decoded (IMAGE_MAX_MEGAPIXELS)`);
    if (/timeout/i.test(message))
      throw new ImageRefused(`encoding it took longer than ${ENCODE_TIMEOUT_SECONDS} s; ask for a smaller w or another format`);
    throw new ImageRefused('it could not be decoded (damaged or truncated)');
  }
}

/** 12.3 of 12,345,678 pixels, 0.01 of 10,000. */
function megapixels(pixels: number): string {
  return String(Number((pixels / 1e6).toPrecision(3)));
}
