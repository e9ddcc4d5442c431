import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { headersFile, redirectsFile } from './cdn.ts';
import { originsToEcho } from './cors.ts';
import { writeFiles, type ExportedFile } from './files.ts';
import { etagMap, negotiatedHeaders, nginxConf, resolveMap, staticConf } from './nginx-conf.ts';
import type { ServiceClient } from './source.ts';
import { walkSurface } from './surface.ts';

/** Debian's brotli_static module (libnginx-mod-http-brotli-static). */
export const DEBIAN_BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';

export interface ExportOptions {
  /** The export folder: must be new or empty (refresh by exporting into a new folder, then switching a symlink). */
  out: string;
  listen: string;
  upstreams: string[];
  /** Load brotli_static from this module (default: Debian's, when installed). */
  brotliModule?: string | null;
  /**
   * The replicas' CORS_ORIGINS. Needed when it is a list: nginx then echoes the request's Origin
   * when it is one of them, as the service does (each is checked against the service first).
   */
  corsOrigins?: string[];
}

export interface ExportResult {
  files: ExportedFile[];
  /** URLs the service did not answer 200 (sitemap without SITE_URL, a site without a feed), with why. */
  skipped: string[];
  /** URLs exported but left to the replicas by nginx (their headers differ from the rest). */
  proxied: string[];
}

/**
 * Exports the public GET surface answered by `client` into `out/public` (with .gz and .br), and
 * beside it nginx.conf (with static.conf, etags.map, resolve.map), problems/ for nginx's own
 * errors, logs/ and temp/, manifest.json (URL → file) and, for CDNs, public/_headers and public/_redirects.
 */
export async function exportSite(client: ServiceClient, options: ExportOptions): Promise<ExportResult> {
  await mkdir(options.out, { recursive: true });
  if ((await readdir(options.out)).length > 0)
    throw new Error(`${options.out} is not empty: export into a new folder, then switch a symlink to it`);
  const { answered, skipped } = await walkSurface(client);
  const publicDir = path.join(options.out, 'public');
  const files = await writeFiles(publicDir, answered);
  const brotliModule = options.brotliModule === undefined ? await existing(DEBIAN_BROTLI_MODULE) : (options.brotliModule ?? undefined);
  const headers = negotiatedHeaders(files);
  const corsOrigins = await originsToEcho(client, files, options.corsOrigins);
  const { conf, proxied } = nginxConf(files, { listen: options.listen, upstreams: options.upstreams, brotliModule, corsOrigins });
  for (const dir of ['logs', 'temp', 'problems']) await mkdir(path.join(options.out, dir), { recursive: true });
  await writeFile(path.join(options.out, 'nginx.conf'), conf);
  await writeFile(path.join(options.out, 'static.conf'), staticConf(headers));
  await writeFile(path.join(options.out, 'etags.map'), etagMap(headers));
  await writeFile(path.join(options.out, 'resolve.map'), resolveMap(headers));
  await writeFile(
    path.join(options.out, 'problems', '502.json'),
    problem(502, 'Bad Gateway', 'No replica of the content API answered; try again shortly.'),
  );
  await writeFile(path.join(options.out, 'problems', '404.json'), problem(404, 'Not Found', 'Nothing is published at this URL.'));
  await writeFile(path.join(publicDir, '_headers'), headersFile(headers, files));
  await writeFile(path.join(publicDir, '_redirects'), redirectsFile(files));
  const manifest = files.map(({ url, file, contentType, etag, lastModified }) => ({
    url,
    file,
    content_type: contentType,
    etag,
    last_modified: lastModified,
  }));
  await writeFile(path.join(options.out, 'manifest.json'), JSON.stringify({ files: manifest, skipped, proxied }, null, 2) + '\n');
  return { files, skipped, proxied };
}

function problem(status: number, title: string, detail: string): string {
  return JSON.stringify({ type: 'about:blank', title, status, detail });
}

async function existing(file: string): Promise<string | undefined> {
  return access(file).then(
    () => file,
    () => undefined,
  );
}
