import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip } from 'node:zlib';
import { brotliOptions, gzipOptions } from '../http/representation.ts';
import { eachLimited, resolvedPath, type Answered, type Variant } from './surface.ts';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Bodies under this size are sent uncompressed by the service, so they get no .gz or .br sibling. */
const COMPRESS_MIN_BYTES = 1024;

/** Response headers that belong to the connection or to the file, not to the resource. */
const HOP_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'content-type',
]);

/** One exported file: which URL(s) it answers and the headers that go with it. */
export interface ExportedFile {
  kind: Answered['entry']['kind'];
  /** The URL asked for (path and query). */
  url: string;
  /** The file, relative to the public folder, with a leading slash (as nginx's $uri). */
  file: string;
  /** For negotiated files: the resource's path and which variant the file holds. */
  path?: string;
  variant?: Variant;
  /** For resolve files: the values of ?path= that it answers. */
  spellings?: string[];
  /** For exact files: whether Accept matters (the route has a response schema; the docs UI has none). */
  negotiates?: boolean;
  contentType: string;
  etag?: string;
  lastModified?: string;
  /** Every other header the service sent (CORS, caching, security), lower-case names. */
  headers: Record<string, string>;
  bytes: number;
  compressed: boolean;
}

/** Writes each answer's body under `publicDir`, with .gz and .br siblings and the mtime of its Last-Modified. */
export async function writeFiles(publicDir: string, answered: Answered[]): Promise<ExportedFile[]> {
  const files: ExportedFile[] = [];
  await eachLimited(answered, 8, async ({ entry, exchange }) => {
    const contentType = exchange.headers['content-type'] ?? 'application/octet-stream';
    const file = fileFor(entry, contentType);
    if (!file) return;
    const target = path.join(publicDir, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, exchange.body);
    const compressed = exchange.body.length >= COMPRESS_MIN_BYTES;
    if (compressed) {
      await writeFile(`${target}.gz`, await gzipAsync(exchange.body, gzipOptions));
      await writeFile(`${target}.br`, await brotliAsync(exchange.body, brotliOptions(exchange.body)));
    }
    const lastModified = exchange.headers['last-modified'];
    const modified = lastModified ? new Date(lastModified) : undefined;
    if (modified && !Number.isNaN(modified.getTime())) {
      for (const written of compressed ? [target, `${target}.gz`, `${target}.br`] : [target]) await utimes(written, modified, modified);
    }
    const headers = Object.fromEntries(Object.entries(exchange.headers).filter(([name]) => !HOP_HEADERS.has(name)));
    files.push({
      kind: entry.kind,
      url: entry.url,
      file,
      ...(entry.kind === 'negotiated' ? { path: entry.path, variant: entry.variant } : {}),
      ...(entry.kind === 'resolve' ? { spellings: entry.spellings } : {}),
      ...(entry.kind === 'exact' ? { negotiates: entry.negotiates } : {}),
      contentType,
      etag: exchange.headers.etag,
      lastModified,
      headers,
      bytes: exchange.body.length,
      compressed,
    });
  });
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The file that holds an answer (see docs/guides/deployment.md, "Which file answers which URL"):
 * `/v1/pages/a` as JSON → `/v1/pages/a.json`, as HTML → `/v1/pages/a.html`; `/v1/resolve?path=/a/`
 * → `/v1/resolve/a/index.json`; `/sitemap.xml` → itself; `/docs` → `/docs.html`, `/docs/` →
 * `/docs/index.html`. Undefined for a path that cannot be a file name safely.
 */
export function fileFor(entry: Answered['entry'], contentType: string): string | undefined {
  let file: string;
  if (entry.kind === 'negotiated') file = `${decodeURIComponent(entry.path)}.${entry.variant}`;
  else if (entry.kind === 'resolve') {
    const key = resolvedPath(entry.spellings[0]);
    file = `/v1/resolve${key.endsWith('/') ? `${key}index` : key}.json`;
  } else if (entry.path.endsWith('/')) file = `${entry.path}index.${extensionOf(contentType)}`;
  else if (/\.[a-z0-9]+$/i.test(entry.path.split('/').pop()!)) file = entry.path;
  else file = `${entry.path}.${extensionOf(contentType)}`;
  const segments = file.split('/').slice(1);
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\0\\]/.test(segment)) ? file : undefined;
}

function extensionOf(contentType: string): string {
  const media = contentType.split(';')[0].trim();
  return (
    (
      {
        'text/html': 'html',
        'application/json': 'json',
        'application/yaml': 'yaml',
        'text/plain': 'txt',
        'application/javascript': 'js',
        'text/css': 'css',
      } as Record<string, string>
    )[media] ?? 'bin'
  );
}
