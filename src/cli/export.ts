import { parseArgs } from 'node:util';
import { buildApp } from '../build-app.ts';
import { loadConfig } from '../config.ts';
import { exportSite } from '../export/export-site.ts';
import { httpClient, injectClient, type ServiceClient } from '../export/source.ts';

const USAGE = `usage: npm run export -- --out DIR [--listen HOST:PORT] [--upstream URL ...] [--from URL] [--no-brotli]
  Writes the API's public GET surface into DIR/public (with .gz and .br), and DIR/nginx.conf to serve it:
    nginx -p DIR -c DIR/nginx.conf -e logs/error.log
  --out DIR         a new (or empty) folder
  --listen ADDR     where nginx listens (default 127.0.0.1:8080)
  --upstream URL    a replica of the service that nginx proxies the rest to (repeat for each)
  --from URL        the replica to export from (default: the first --upstream; without any, the
                    content folder CONTENT_DIR is loaded in this process, with SITE_URL and the cache settings)
  --no-brotli       do not load nginx's brotli_static module (.br files are written all the same)
  CORS_ORIGINS      set it as on the replicas: when it is a list, nginx echoes the request's Origin if listed
  See docs/guides/deployment.md.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        out: { type: 'string' },
        listen: { type: 'string', default: '127.0.0.1:8080' },
        upstream: { type: 'string', multiple: true, default: [] },
        from: { type: 'string' },
        'no-brotli': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help || !values.out) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const upstreams = values.upstream;
  for (const url of upstreams) {
    if (!/^http:\/\/[^/]+\/?$/.test(url)) {
      process.stderr.write(`--upstream ${url}: give a replica's base URL, http://HOST:PORT\n`);
      return 2;
    }
  }
  await replicasAgree(upstreams);
  const from = values.from ?? upstreams[0];
  const corsOrigins = loadConfig()
    .CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  let client: ServiceClient;
  let close = async () => {};
  if (from) {
    client = httpClient(from);
    process.stderr.write(`exporting from ${from}\n`);
  } else {
    const config = loadConfig();
    const app = await buildApp({
      contentDir: config.CONTENT_DIR,
      siteUrl: config.SITE_URL,
      cacheMaxAge: config.CACHE_MAX_AGE,
      cacheStaleWhileRevalidate: config.CACHE_STALE_WHILE_REVALIDATE,
      corsOrigins,
      loadInBackground: false,
      precompressMaxBytes: 0,
    });
    client = injectClient(app);
    close = () => app.close();
    process.stderr.write(`exporting ${config.CONTENT_DIR}\n`);
  }
  try {
    const result = await exportSite(client, {
      out: values.out,
      listen: values.listen,
      upstreams,
      brotliModule: values['no-brotli'] ? null : undefined,
      corsOrigins,
    });
    for (const url of result.skipped) process.stderr.write(`skipped ${url}\n`);
    for (const url of result.proxied) process.stderr.write(`left to the replicas (headers differ) ${url}\n`);
    process.stdout.write(`exported ${result.files.length} files to ${values.out}/public; nginx.conf beside them\n`);
  } finally {
    await close();
  }
  return 0;
}

/**
 * Waits (up to 270 s: a loaded machine can take minutes to load a large site) until every replica serves content, then checks they serve the same
 * version: replicas behind one nginx must, or the files and the proxied answers disagree.
 */
async function replicasAgree(upstreams: string[]): Promise<void> {
  const deadline = Date.now() + 270_000;
  const versions = await Promise.all(
    upstreams.map(async (url) => {
      for (;;) {
        const response = await fetch(new URL('/ready', url)).catch(() => undefined);
        if (response?.status === 200) return ((await response.json()) as { version: string }).version;
        if (Date.now() > deadline) throw new Error(`${url} is not ready (/ready answered ${response?.status ?? 'nothing'})`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
  if (new Set(versions).size > 1)
    throw new Error(`the replicas serve different content versions (${upstreams.map((url, i) => `${url}: ${versions[i]}`).join(', ')})`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`export failed: ${error.message}\n`);
    process.exit(1);
  },
);
