import { byCodeUnits } from '../model/order.ts';
import type { Exchange, ServiceClient } from './source.ts';

/** Which representation of a negotiated resource a file holds (also its file extension). */
export type Variant = 'json' | 'html' | 'jsonld';

/** The request headers that ask for each variant (?format=jsonld asks for JSON-LD). */
export const VARIANT_ACCEPT: Record<Variant, string> = { json: 'application/json', html: 'text/html', jsonld: '*/*' };

/**
 * One URL of the public GET surface and the file that holds its answer:
 * - `negotiated`: an API resource under /v1 answered as JSON, HTML or JSON-LD by Accept or ?format=; file `<path>.<variant>`;
 * - `resolve`: /v1/resolve?path=…, one file per permalink or redirect, reached by the spellings of its path;
 * - `exact`: one URL, one representation whatever the Accept (sitemap, robots, feed, OpenAPI, docs); file named for it.
 */
export type SurfaceEntry =
  | { kind: 'negotiated'; path: string; variant: Variant; url: string; accept: string }
  | { kind: 'resolve'; spellings: string[]; url: string; accept: string }
  | { kind: 'exact'; path: string; url: string; accept: string; negotiates: boolean };

/** What the service answered for an entry. */
export interface Answered {
  entry: SurfaceEntry;
  exchange: Exchange;
}

const PAGE_SIZE = 100;

/**
 * Walks the public GET surface of a running service (or an app in this process), asking it what
 * is there as a client would: page and FAQ lists, each page's sections, permalinks and redirects,
 * then every representation. Answers are the service's own bytes; nothing is rendered here.
 */
export async function walkSurface(
  client: ServiceClient,
  options: { concurrency?: number } = {},
): Promise<{ answered: Answered[]; skipped: string[] }> {
  const json = async <T>(url: string): Promise<T> => {
    const answer = await client(url, { accept: 'application/json', 'accept-encoding': 'identity' });
    if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}: ${answer.body.toString().slice(0, 200)}`);
    return JSON.parse(answer.body.toString()) as T;
  };
  const entries: SurfaceEntry[] = [];
  // A URL listed twice is exported once (FAQ entries of pages made from one template share their ID).
  const seen = new Set<string>();
  const negotiated = (path: string, variants: Variant[]) => {
    for (const variant of variants) {
      if (seen.has(`${variant} ${path}`)) continue;
      seen.add(`${variant} ${path}`);
      entries.push({
        kind: 'negotiated',
        path,
        variant,
        url: variant === 'jsonld' ? `${path}?format=jsonld` : path,
        accept: VARIANT_ACCEPT[variant],
      });
    }
  };
  negotiated('/v1/site', ['json']);
  negotiated('/v1/navigation', ['json']);
  negotiated('/v1/navigation/menus', ['json']);
  negotiated('/v1/pages', ['json']);
  negotiated('/v1/faq', ['json', 'jsonld']);

  const slugs: string[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const list = await json<{ items: { slug: string }[]; total: number }>(`/v1/pages?limit=${PAGE_SIZE}&offset=${offset}`);
    slugs.push(...list.items.map((item) => item.slug));
    if (offset + PAGE_SIZE >= list.total || list.items.length === 0) break;
  }
  const resolveSpellings = new Set<string>();
  await eachLimited(slugs, options.concurrency ?? 16, async (slug) => {
    const base = `/v1/pages/${encodeURIComponent(slug)}`;
    const page = await json<{ permalink: string; front_matter: Record<string, unknown> }>(base);
    negotiated(base, ['json', 'html']);
    negotiated(`${base}/sections`, ['json', 'html']);
    negotiated(`${base}/toc`, ['json']);
    negotiated(`${base}/navigation`, ['json']);
    const sections = await json<{ items: SectionNode[] }>(`${base}/sections`);
    for (const id of sectionIds(sections.items)) negotiated(`${base}/sections/${encodeURIComponent(id)}`, ['json', 'html']);
    resolveSpellings.add(page.permalink);
    const redirects = page.front_matter.redirect_from;
    for (const from of Array.isArray(redirects) ? redirects : [redirects])
      if (typeof from === 'string' && from.startsWith('/')) resolveSpellings.add(from);
  });
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const list = await json<{ items: { id: string }[]; total: number }>(`/v1/faq?limit=${PAGE_SIZE}&offset=${offset}`);
    for (const item of list.items) negotiated(`/v1/faq/${encodeURIComponent(item.id)}`, ['json', 'html']);
    if (offset + PAGE_SIZE >= list.total || list.items.length === 0) break;
  }
  entries.push(...resolveEntries(resolveSpellings));
  for (const path of ['/sitemap.xml', '/robots.txt', '/feed.xml', '/openapi.json', '/openapi.yaml'])
    entries.push({ kind: 'exact', path, url: path, accept: '*/*', negotiates: true });
  for (const path of await docsPaths(client)) entries.push({ kind: 'exact', path, url: path, accept: '*/*', negotiates: false });

  const answered: Answered[] = [];
  const skipped: string[] = [];
  await eachLimited(entries, options.concurrency ?? 16, async (entry) => {
    const exchange = await client(entry.url, { accept: entry.accept, 'accept-encoding': 'identity' });
    if (exchange.status !== 200) skipped.push(`${entry.url} (${exchange.status}${detailOf(exchange)})`);
    else if (entry.kind !== 'resolve' || entry.spellings.length === 1) answered.push({ entry, exchange });
    else answered.push({ entry: { ...entry, spellings: await answeredAlike(client, entry, exchange, skipped) }, exchange });
  });
  return { answered, skipped };
}

/**
 * The path whose resolve file answers a ?path= value: the service resolves `/a?x=1` and `/a#top`
 * as `/a` (a query or fragment is no part of a page's path), so they share `/a`'s file.
 */
export function resolvedPath(spelling: string): string {
  return spelling.split(/[?#]/)[0];
}

const resolveUrl = (spelling: string) => `/v1/resolve?${new URLSearchParams({ path: spelling })}`;

/**
 * One resolve entry per file: the spellings that differ only in a query or fragment (a page at
 * `/old`, another's `redirect_from: /old?x=1`) are one entry, asked for by the plain path.
 */
function resolveEntries(spellings: Iterable<string>): SurfaceEntry[] {
  const byPath = new Map<string, string[]>();
  // In code-unit order, a path comes before its spellings with a query or fragment.
  for (const spelling of [...spellings].sort(byCodeUnits)) {
    const path = resolvedPath(spelling);
    byPath.set(path, [...(byPath.get(path) ?? []), spelling]);
  }
  return [...byPath.values()].map((group) => ({
    kind: 'resolve',
    spellings: group,
    url: resolveUrl(group[0]),
    accept: 'application/json',
  }));
}

/** The spellings of a resolve entry the service answers as it answered the first; the others are left to it (and listed as skipped). */
async function answeredAlike(
  client: ServiceClient,
  entry: Extract<SurfaceEntry, { kind: 'resolve' }>,
  first: Exchange,
  skipped: string[],
): Promise<string[]> {
  const alike = [entry.spellings[0]];
  for (const spelling of entry.spellings.slice(1)) {
    const url = resolveUrl(spelling);
    const answer = await client(url, { accept: entry.accept, 'accept-encoding': 'identity' });
    if (answer.status === 200 && answer.body.equals(first.body) && answer.headers.etag === first.headers.etag) alike.push(spelling);
    else skipped.push(`${url} (${answer.status}: not the answer to ${entry.url}, so left to the service)`);
  }
  return alike;
}

interface SectionNode {
  id: string;
  children?: SectionNode[];
}

function sectionIds(sections: SectionNode[]): string[] {
  return sections.flatMap((section) => [section.id, ...sectionIds(section.children ?? [])]);
}

/** The docs page (/docs, /docs/) and every asset it links to, as its HTML names them. */
async function docsPaths(client: ServiceClient): Promise<string[]> {
  const paths = ['/docs', '/docs/', '/docs/json', '/docs/yaml'];
  for (const page of ['/docs/', '/docs/static/index.html']) {
    const answer = await client(page, { accept: '*/*', 'accept-encoding': 'identity' });
    if (answer.status !== 200) continue;
    if (page !== '/docs/') paths.push(page);
    for (const match of answer.body.toString().matchAll(/(?:src|href)="\.\/(static\/[^"?#]+)"/g)) paths.push(`/docs/${match[1]}`);
  }
  return [...new Set(paths)];
}

function detailOf(exchange: Exchange): string {
  if (!(exchange.headers['content-type'] ?? '').includes('json')) return '';
  try {
    const detail = (JSON.parse(exchange.body.toString()) as { detail?: unknown }).detail;
    return typeof detail === 'string' ? `: ${detail}` : '';
  } catch {
    return '';
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
