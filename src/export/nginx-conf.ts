import { corsOriginMap, ECHO_ORIGIN_HEADER, echoesOrigin } from './cors.ts';
import type { ExportedFile } from './files.ts';

/** Where nginx listens and which replicas it proxies to. */
export interface NginxOptions {
  /** HOST:PORT (or PORT) nginx listens on. */
  listen: string;
  /** Base URLs of the service's replicas (http://host:port); none: what is not exported is 404. */
  upstreams: string[];
  /** Absolute path of Debian's brotli_static module, when it is installed (else .br files are not used). */
  brotliModule?: string;
  /** Origins to echo in Access-Control-Allow-Origin, when the service allows a list of them (see cors.ts). */
  corsOrigins?: string[];
}

/** The headers every negotiated (/v1) file is sent with, and the files whose answers carried exactly those. */
export interface NegotiatedHeaders {
  /** Headers common to every variant (CORS, Cache-Control, Vary, nosniff, Referrer-Policy). */
  common: Record<string, string>;
  /** Content-Security-Policy per variant (fragments get a stricter, sandboxed one). */
  csp: Record<string, string>;
  /** Files served statically; the others are proxied (reason in `proxied`). */
  served: ExportedFile[];
  proxied: string[];
}

/** Splits negotiated and resolve files into those that share one set of headers (served) and the rest (proxied). */
export function negotiatedHeaders(exported: ExportedFile[]): NegotiatedHeaders {
  const candidates = exported.filter((file) => file.kind !== 'exact');
  const first = candidates[0];
  const common: Record<string, string> = {};
  if (first) for (const [name, value] of Object.entries(first.headers)) if (name !== 'content-security-policy') common[name] = value;
  const csp: Record<string, string> = {};
  const served: ExportedFile[] = [];
  const proxied: string[] = [];
  const claimed = new Set<string>();
  for (const file of candidates) {
    const variant = file.variant ?? 'json';
    const { 'content-security-policy': policy = '', ...rest } = file.headers;
    csp[variant] ??= policy;
    const same =
      policy === csp[variant] && sameHeaders(rest, common) && file.etag !== undefined && file.contentType === CONTENT_TYPES[variant];
    // One file, one entry in etags.map: a second answer written to the same file is left to the service.
    if (same && mapSafe(file.etag!) && configSafe(file.file) && (file.spellings ?? []).every(configSafe) && !claimed.has(file.file)) {
      claimed.add(file.file);
      served.push(file);
    } else proxied.push(file.url);
  }
  return { common, csp, served, proxied };
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
};

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A string that can be written in a quoted nginx token as it is (no quote, backslash, $, control character). */
function configSafe(value: string): boolean {
  return !/["\\$\s\0-\x1f{};]/.test(value);
}

/** A value an exact map can hold after its key: a configSafe string, quotes allowed (an ETag). */
function mapSafe(value: string): boolean {
  return configSafe(value.replace(/"/g, ''));
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A string matched as it is in a regex (the characters configSafe allows that mean something to PCRE, escaped). */
const literally = (value: string) => value.replace(/[.*+?^()|[\]]/g, '\\$&');

/** ASCII letters in lower case, as nginx folds a map's strings (bytes beyond ASCII are left as they are). */
const foldCase = (value: string) => value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/**
 * The entries of a map matched exactly, as the service matches URLs (`/v1/pages/INDEX` is not
 * `/v1/pages/index`). nginx compares a map's strings ignoring case, and refuses two that differ
 * only in case; so each value is written after its key ("KEY VALUE", neither with white space),
 * and the map reading it (see {@link exactLookup}) keeps the value only when that key is the one
 * asked for. Keys that differ from another only in case are written as case-sensitive regexes
 * (nginx tries a map's strings first, so neither may stay a string).
 */
export function exactMapEntries(entries: Iterable<readonly [key: string, value: string]>): string {
  const values = new Map<string, string>();
  for (const [key, value] of entries) {
    if (!configSafe(key) || !mapSafe(value)) throw new Error(`map entry ${JSON.stringify(key)}: not safe in nginx.conf`);
    const known = values.get(key);
    if (known !== undefined && known !== value) throw new Error(`map key ${key} would name both ${known} and ${value}`);
    values.set(key, value);
  }
  const spellings = new Map<string, number>();
  for (const key of values.keys()) spellings.set(foldCase(key), (spellings.get(foldCase(key)) ?? 0) + 1);
  const lines: string[] = [];
  for (const [key, value] of values) {
    const source = spellings.get(foldCase(key))! > 1 ? `"~^${literally(key)}$"` : quote(key);
    lines.push(`${source} ${quote(`${key} ${value}`)};`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The two maps that look `source` up in an included file of {@link exactMapEntries}: `variable` is
 * the entry's value when its key is `source` exactly, else "". A miss leaves "KEY " (trailing
 * space), which the pattern cannot match.
 */
function exactLookup(source: string, file: string, variable: string, comment: string): string {
  return `  # ${comment}
  map "${source}" ${variable}_entry {
    default "";
    include ${file};
  }
  map "${source} ${variable}_entry" ${variable} {
    default "";
    "~^(\\S+) \\1 (\\S+)$" $2;
  }`;
}

/** The map from each negotiated file to its ETag (etags.map, included by nginx.conf). */
export function etagMap(headers: NegotiatedHeaders): string {
  return exactMapEntries(headers.served.map((file) => [file.file, file.etag!] as const));
}

/** The map from "accept kind|query" of /v1/resolve to the file that answers it (resolve.map). */
export function resolveMap(headers: NegotiatedHeaders): string {
  const entries: [string, string][] = [];
  for (const file of headers.served) {
    if (file.kind !== 'resolve') continue;
    for (const spelling of file.spellings ?? []) {
      // Clients send the path as it is (`path=/a/`) or percent-encoded (URLSearchParams: `path=%2Fa%2F`).
      for (const query of new Set([
        `path=${spelling}`,
        new URLSearchParams({ path: spelling }).toString(),
        `path=${encodeURIComponent(spelling)}`,
      ])) {
        for (const accept of ['any', 'json']) entries.push([`${accept}|${query}`, file.file]);
      }
    }
  }
  return exactMapEntries(entries);
}

/** The server's exact-URL files (sitemap, robots, feed, OpenAPI, docs) as one `location =` block each. */
function exactLocations(files: ExportedFile[], skipped: string[]): string {
  const blocks: string[] = [];
  for (const file of files) {
    if (file.kind !== 'exact') continue;
    const values = [file.url, file.file, file.contentType, ...Object.values(file.headers)];
    const etagSafe = file.etag === undefined || /^(W\/)?"[^"\\$\0-\x1f]*"$/.test(file.etag);
    if (!etagSafe || !values.every((value) => !/["\\$\0-\x1f]/.test(value)) || !configSafe(file.url)) {
      skipped.push(file.url);
      continue;
    }
    const accept = file.negotiates ? (file.contentType.startsWith('application/json') ? '^(any|json)$' : '^any$') : '';
    blocks.push(
      [
        `    location = ${file.url} {`,
        '      error_page 418 = @service;',
        `      if ($export_method_ok = 0) { return 418; }`,
        `      if ($args != "") { return 418; }`,
        ...(accept ? [`      if ($export_accept !~ "${accept}") { return 418; }`] : []),
        ...(file.etag
          ? [`      if ($http_if_none_match = ${quote(file.etag)}) { return 304; }`, '      if ($http_if_none_match != "") { return 418; }']
          : []),
        '      types { }',
        `      default_type ${quote(file.contentType)};`,
        '      charset off;',
        ...Object.entries(file.headers).map(([name, value]) => `      add_header ${name} ${quote(value)} always;`),
        ...(file.etag ? [`      add_header etag ${quote(file.etag)} always;`] : []),
        ...(echoesOrigin(file.headers) ? [`      ${ECHO_ORIGIN_HEADER}`] : []),
        `      try_files ${file.file} @service;`,
        '    }',
      ].join('\n'),
    );
  }
  return blocks.join('\n');
}

/**
 * nginx.conf for an export folder: every path in it is relative to that folder (`nginx -p DIR -c
 * DIR/nginx.conf`), the public folder is served with the service's URLs and headers, and what is
 * not a file (search, FAQ queries, filtered lists, preview, events, unknown URLs) goes to the replicas.
 */
export function nginxConf(files: ExportedFile[], options: NginxOptions): { conf: string; proxied: string[] } {
  const headers = negotiatedHeaders(files);
  const echo = files.some((file) => echoesOrigin(file.headers));
  if (echo && !options.corsOrigins?.length) throw new Error('the answers vary on Origin: nginxConf needs the CORS origins to echo');
  const proxied = [...headers.proxied];
  const exact = exactLocations(files, proxied);
  const servers = options.upstreams.map((url) => {
    const { host } = new URL(url);
    return `    server ${host} max_fails=1 fail_timeout=2s;`;
  });
  const hasUpstream = servers.length > 0;
  const conf = `# Generated by \`npm run export\`: serves this folder as the content API would, and proxies the rest.
# Run it from anywhere, as any user: nginx -p "$PWD" -c "$PWD/nginx.conf" -e logs/error.log
# Every path below is relative to this folder. See docs/guides/deployment.md.
${options.brotliModule ? `load_module ${options.brotliModule};\n` : '# brotli_static is off: libnginx-mod-http-brotli-static was not installed when this was exported.\n'}
worker_processes auto;
pid logs/nginx.pid;
error_log logs/error.log warn;

events {
  worker_connections 4096;
}

http {
  access_log logs/access.log combined buffer=64k flush=1s;
  client_body_temp_path temp/client_body;
  proxy_temp_path temp/proxy;
  fastcgi_temp_path temp/fastcgi;
  uwsgi_temp_path temp/uwsgi;
  scgi_temp_path temp/scgi;
  sendfile on;
  tcp_nopush on;
  # The service answers whole bodies only (and no Accept-Ranges).
  max_ranges 0;
  keepalive_timeout 65s;
  server_tokens off;
  map_hash_max_size 1048576;
  map_hash_bucket_size 256;

  types {
    application/json json;
    text/html html;
    application/ld+json jsonld;
  }
  charset utf-8;
  charset_types application/json application/ld+json;
  # The service's ETags (a hash of the content) are sent instead of nginx's (mtime and size).
  etag off;
  # The service answers 304 when its Last-Modified is not after If-Modified-Since; each file's mtime is that date.
  if_modified_since before;
  gzip_static on;
${options.brotliModule ? '  brotli_static on;\n' : ''}
  # Which representation the Accept header asks for; anything subtler (weights, lists) is left to the service.
  map $http_accept $export_accept {
    default other;
    "" any;
    "*/*" any;
    "~*^\\s*application/json\\s*$" json;
    "~*^\\s*application/json,\\s*text/plain,\\s*\\*/\\*\\s*$" json;
    "~*^\\s*text/html\\s*$" html;
  }
  # The file extension of the variant asked for by Accept and ?format= (format wins; any other query is the service's).
  map "$export_accept|$args" $export_variant {
    default none;
    "any|" json;
    "json|" json;
    "html|" html;
    "~^(any|json|html)\\|format=json$" json;
    "~^(any|json|html)\\|format=html$" html;
    "~^(any|json)\\|format=jsonld$" jsonld;
  }
  map $request_method $export_method_ok {
    default 0;
    GET 1;
    HEAD 1;
  }
${exactLookup('$export_accept|$args', 'resolve.map', '$export_resolve_file', 'The file that answers /v1/resolve for this Accept and query, matched exactly (as the service does).')}
${exactLookup('$export_file', 'etags.map', '$export_etag', "The file's ETag, when the file is exported under exactly this name (nginx's own match ignores case).")}
  map "$export_method_ok|$export_etag" $export_static {
    default 0;
    "~^1\\|\\"" 1;
  }
  # If-None-Match holding the file's ETag (alone, in a list, weak or *): 304, as the service answers.
  map "$export_etag|$http_if_none_match" $export_not_modified {
    default 0;
    "~^(\\"[^\\"]+\\")\\|(.*,\\s*)?(W/)?\\1(\\s*,.*)?$" 1;
    "~^\\"[^\\"]+\\"\\|\\s*\\*\\s*$" 1;
  }
  map $export_variant $export_csp {
${Object.entries(headers.csp)
  .map(([variant, policy]) => `    ${variant} ${quote(policy)};`)
  .join('\n')}
    default ${quote(headers.csp.json ?? "default-src 'none'")};
  }
${echo ? `${corsOriginMap(options.corsOrigins!)}\n` : ''}${
    hasUpstream
      ? `
  upstream content_api {
${servers.join('\n')}
    keepalive 64;
  }
`
      : ''
  }
  server {
    listen ${options.listen};
    root public;
    # Replicas' errors (a 404 problem, a 406, a 503 while starting) pass through as they are.
    error_page 502 504 /_problems/502.json;

    location = /_problems/502.json {
      internal;
      root problems;
      default_type "application/problem+json; charset=utf-8";
      try_files /502.json =502;
    }
    location = /_problems/404.json {
      internal;
      root problems;
      default_type "application/problem+json; charset=utf-8";
      add_header cache-control "no-store" always;
      try_files /404.json =404;
    }

    location /v1/ {
      error_page 418 = @service;
      set $export_file "$uri.$export_variant";
      include static.conf;
    }
    location = /v1/resolve {
      error_page 418 = @service;
      set $export_file $export_resolve_file;
      include static.conf;
    }
    location = /v1/events {
      ${
        hasUpstream
          ? `proxy_pass http://content_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # Server-sent events: each event is passed on as it comes, and a quiet stream is not cut off.
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;`
          : 'return 404;'
      }
    }
${exact}
    location / {
      error_page 418 = @service;
      return 418;
    }
    location @service {
${
  hasUpstream
    ? `      proxy_pass http://content_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      # A replica that goes away (connection refused or reset, or 503 while it shuts down): the request is tried on the next.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_timeout 10s;`
    : `      types { }
      default_type "application/problem+json; charset=utf-8";
      charset off;
      add_header cache-control "no-store" always;
      add_header x-content-type-options nosniff always;
      return 404 '{"type":"about:blank","title":"Not Found","status":404,"detail":"Nothing is published at this URL."}';`
}
    }
  }
}
`;
  return { conf, proxied };
}

/** The part of a negotiated location that serves a file: 304 or the file with the service's headers, else the service. */
export function staticConf(headers: NegotiatedHeaders): string {
  return `# Included by nginx.conf in the /v1 locations: $export_file names the file asked for.
if ($export_static = 0) { return 418; }
if ($export_not_modified) { return 304; }
${Object.entries(headers.common)
  .map(([name, value]) => `add_header ${name} ${quote(value)} always;`)
  .join('\n')}
add_header content-security-policy $export_csp always;
add_header etag $export_etag always;
${echoesOrigin(headers.common) ? `${ECHO_ORIGIN_HEADER}\n` : ''}try_files $export_file @service;
`;
}
