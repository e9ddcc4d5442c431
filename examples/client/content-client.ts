/**
 * A typed client of the Content API: openapi-fetch over the types `npm run types` generates
 * from openapi.yaml, so a renamed field or a removed route is a compile error in the frontend,
 * not a surprise in production. Try it against a running service:
 *
 *     npx tsx examples/client/content-client.ts http://localhost:3000
 */
import { pathToFileURL } from 'node:url';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api.d.ts';

export type Page = components['schemas']['Page'];
export type Problem = components['schemas']['Problem'];

/** JSON bodies: resources as application/json, errors as application/problem+json. */
type JsonMediaType = `application/${string}json`;
export type ContentClient = Client<paths, JsonMediaType>;

/** A client of the service at `baseUrl`. */
export function contentClient(baseUrl: string): ContentClient {
  return createClient<paths, JsonMediaType>({ baseUrl });
}

/** What a frontend does first: list pages, open one, embed its HTML, and handle a missing page. */
export async function tour(client: ContentClient): Promise<string[]> {
  const lines: string[] = [];

  const pages = await client.GET('/v1/pages', { params: { query: { limit: 2 } } });
  if (pages.error) throw new Error(pages.error.detail);
  lines.push(`${pages.data.total} pages, the first ${pages.data.items.length}: ${pages.data.items.map((page) => page.slug).join(', ')}`);

  const slug = pages.data.items[0].slug;
  const page = await client.GET('/v1/pages/{slug}', { params: { path: { slug } } });
  if (page.error) throw new Error(page.error.detail);
  const sections = page.data.sections.map((section) => section.id);
  lines.push(`${page.data.title} (${page.data.permalink}): ${sections.length} sections${sections.length ? `, ${sections.join(', ')}` : ''}`);

  const html = await client.GET('/v1/pages/{slug}', { params: { path: { slug }, query: { format: 'html' } }, parseAs: 'text' });
  lines.push(`HTML fragment: ${html.data?.length ?? 0} characters`);

  const missing = await client.GET('/v1/pages/{slug}', { params: { path: { slug: 'no-such-page' } } });
  const problem: Problem | undefined = missing.error;
  lines.push(`${missing.response.status} ${problem?.title}: ${problem?.detail}`);

  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await tour(contentClient(process.argv[2] ?? 'http://localhost:3000'))) console.log(line);
}
