/**
 * Which files of the content folder are served as static assets (GET /v1/assets/…), and as what.
 * Jekyll publishes no file or folder whose name starts with `_` or a dot; page sources and
 * templates are never served as files; anything else is served only if its type is listed here.
 */
export const ASSET_MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  zip: 'application/zip',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
};

/**
 * Every media type an asset may be sent as, without parameters: what the route offers to content
 * negotiation and what the OpenAPI document lists for it.
 */
export const ASSET_RESPONSE_MEDIA_TYPES: readonly string[] = [...new Set(Object.values(ASSET_MEDIA_TYPES).map(withoutParameters))];

/** `text/plain` of `text/plain; charset=utf-8`. */
export function withoutParameters(mediaType: string): string {
  return mediaType.split(';')[0].trim();
}

/** Extensions of the images whose dimensions are measured and given in page JSON and HTML. */
export const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'svg', 'ico', 'bmp', 'tif', 'tiff']);

/** Folders never looked into, even when their names would be published. */
const SKIPPED_FOLDERS = new Set(['node_modules']);

function extensionOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > file.lastIndexOf('/') ? file.slice(dot + 1).toLowerCase() : '';
}

/**
 * The media type `file` (relative to the content folder, `/` separators, already decoded) is
 * served as, or null when it is not served: hidden or `_` names anywhere on its path, `..`, a
 * type not listed (page sources, templates, config, data), or a name that is not plain text.
 */
export function assetMediaType(file: string): string | null {
  if (file === '' || file.length > 1024 || /[\0\\]/.test(file)) return null;
  const parts = file.split('/');
  if (parts.some((part) => part === '' || part.startsWith('.') || part.startsWith('_') || SKIPPED_FOLDERS.has(part))) return null;
  return ASSET_MEDIA_TYPES[extensionOf(file)] ?? null;
}

/** Whether a served asset is an image whose dimensions are measured. */
export function isImageAsset(file: string): boolean {
  // The extension first: a folder of 10,000 pages has few images, and this is asked of every file.
  return IMAGE_EXTENSIONS.has(extensionOf(file)) && assetMediaType(file) !== null;
}
