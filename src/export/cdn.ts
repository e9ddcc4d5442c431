import type { ExportedFile } from './files.ts';
import type { NegotiatedHeaders } from './nginx-conf.ts';

/**
 * `_headers` for static hosts that read it (Netlify, Cloudflare Pages): the service's CORS,
 * caching and security headers on every file, the sandboxed policy on HTML fragments, and the
 * media types a host would not guess (JSON-LD, YAML). ETags are the host's own.
 */
export function headersFile(headers: NegotiatedHeaders, files: ExportedFile[]): string {
  const { vary: _vary, ...common } = headers.common;
  const block = (pattern: string, values: Record<string, string>) =>
    [pattern, ...Object.entries(values).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
  const blocks = [
    block('/v1/*', { ...common, 'content-security-policy': headers.csp.json ?? "default-src 'none'; frame-ancestors 'none'" }),
    block('/v1/*.html', { 'content-security-policy': headers.csp.html ?? headers.csp.json ?? "default-src 'none'" }),
    block('/v1/faq.jsonld', { 'content-type': 'application/ld+json; charset=utf-8' }),
  ];
  for (const file of files) {
    if (file.kind !== 'exact' || file.file.startsWith('/docs/static/')) continue;
    blocks.push(block(file.file, { 'content-type': file.contentType, ...file.headers }));
  }
  return blocks.join('\n\n') + '\n';
}

/**
 * `_redirects` rewrites (status 200: the host serves the file at the API's URL) from each
 * negotiated URL to its JSON file, and ?format=html to the HTML one where the host matches
 * queries (Netlify). Content negotiation on Accept is not possible on a plain host.
 */
export function redirectsFile(files: ExportedFile[]): string {
  const lines: string[] = [];
  const rule = (from: string, to: string, query = '') => lines.push(`${from}${query ? ` ${query}` : ''} ${to} 200`);
  for (const suffix of ['', '/sections', '/sections/:id', '/toc', '/navigation']) {
    rule(`/v1/pages/:slug${suffix}`, `/v1/pages/:slug${suffix}.html`, 'format=html');
  }
  rule('/v1/faq/:id', '/v1/faq/:id.html', 'format=html');
  rule('/v1/faq', '/v1/faq.jsonld', 'format=jsonld');
  for (const suffix of ['', '/sections', '/sections/:id', '/toc', '/navigation'])
    rule(`/v1/pages/:slug${suffix}`, `/v1/pages/:slug${suffix}.json`);
  rule('/v1/faq/:id', '/v1/faq/:id.json');
  for (const path of ['/v1/pages', '/v1/faq', '/v1/site', '/v1/navigation', '/v1/navigation/menus']) rule(path, `${path}.json`);
  for (const file of files) if (file.kind === 'exact' && file.file !== file.url) rule(file.url, file.file);
  return lines.join('\n') + '\n';
}
