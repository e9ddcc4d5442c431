/**
 * Compiled by types.e2e.test.ts against the built package, as a frontend imports it: each
 * `@ts-expect-error` marks something the types must refuse (tsc fails if it is accepted).
 */
import createFetchClient from 'openapi-fetch';
import {
  createClient,
  type Author,
  type ContentEvent,
  type FaqList,
  type FaqPageJsonLd,
  type FrontMatter,
  type PageSummary,
  type paths,
  type TaxonomyTerm,
  type WebhookHeaders,
  type WebhookPayload,
} from '@pyos/content-client';

const api = createClient({ baseUrl: 'http://localhost:3000', previewToken: 'token' });

export async function narrowedFields(): Promise<string> {
  const { data, error } = await api.pages.list({ fields: ['title', 'permalink'], type: 'page' });
  if (error) return error.detail ?? error.title;
  const item = data.items[0];
  const title: string = item.title;
  const slug: string = item.slug;
  // @ts-expect-error excerpt was not asked for
  void item.excerpt;
  // @ts-expect-error `fields` names only summary fields and front-matter paths
  void api.pages.list({ fields: ['html'] });
  return `${slug} ${title} ${item.permalink}`;
}

export async function everyFieldWithoutFields(): Promise<string | null> {
  const { data } = await api.pages.list();
  const all: PageSummary = data!.items[0];
  return all.excerpt;
}

export async function frontMatterPaths(): Promise<unknown> {
  const { data } = await api.pages.list({ fields: ['title', 'front_matter.header.teaser'] });
  const teaser: string | undefined = data!.items[0].front_matter.header?.teaser;
  // @ts-expect-error only the header was asked for
  void data!.items[0].front_matter.title;
  return teaser;
}

export async function typedFrontMatter(): Promise<unknown> {
  const { data } = await api.pages.get('index');
  const frontMatter: FrontMatter = data!.front_matter;
  const toc: boolean | undefined = frontMatter.toc;
  const overlay: string | undefined = frontMatter.header?.overlay_image;
  // @ts-expect-error a known key keeps its type: title is a string
  const wrong: number | undefined = frontMatter.title;
  // An unknown key is `unknown`: it must be narrowed before use.
  const custom = frontMatter.my_custom_key;
  // @ts-expect-error unknown keys are not `any`
  void custom.length;
  return [toc, overlay, wrong];
}

export async function mediaTypes(): Promise<number> {
  const list = await api.faq.list({ q: 'review' });
  const entries: FaqList['items'] = list.data!.items;
  const jsonLd = await api.faq.jsonLd();
  const graph: FaqPageJsonLd = jsonLd.data!;
  // @ts-expect-error the JSON-LD form has no items
  void jsonLd.data!.items;
  const html = await api.pages.html('index');
  const length: number = html.data!.length;
  return entries.length + graph.mainEntity.length + length;
}

export async function faqWithOpenapiFetch(): Promise<number> {
  // /v1/faq's application/json form is the list alone (its JSON-LD form has its own media type),
  // so `items` is there: with the raw client, and with openapi-fetch asking for JSON.
  const { data } = await api.raw.GET('/v1/faq', { params: { query: { q: 'review' } } });
  const bare = createFetchClient<paths, 'application/json'>({ baseUrl: 'http://localhost:3000' });
  const { data: listed } = await bare.GET('/v1/faq');
  // @ts-expect-error the list has no JSON-LD keys
  void listed?.mainEntity;
  return (data?.items.length ?? 0) + (listed?.items.length ?? 0);
}

export async function dataTaxonomiesAndAssets(): Promise<string> {
  const { data: authors } = await api.data.get<Record<string, Author>>('authors');
  const { data: categories } = await api.categories.list();
  const term: TaxonomyTerm = categories!.items[0];
  const { data: tag } = await api.tags.get('peer-review');
  const first: string = tag!.items[0].slug;
  const { data: page } = await api.pages.get('welcome-new-editors');
  const avatar: string | null | undefined = page?.author?.avatar;
  const width: number | undefined = page?.images[0]?.width;
  // @ts-expect-error a data file is `unknown` until the caller says what it holds
  void (await api.data.get('authors')).data!.length;
  return [authors?.['Leah Wasser'].name, term.count, first, avatar, width, api.assets.url('images/logo.png')].join();
}

export function events(): void {
  const subscription = api.events.subscribe({
    onContent: (event) => event.changed.forEach((slug) => void api.pages.get(slug)),
  });
  subscription.close();
}

export function contentEventFromTheContract(event: ContentEvent): string {
  const previous: string = event.previous_version;
  const truncated: true | undefined = event.truncated;
  // @ts-expect-error previous_version is never null: the service does not announce the first version it loads
  const first: ContentEvent = { version: 'v1', previous_version: null, changed: [] };
  return `${previous} ${truncated} ${first.version}`;
}

export function webhookReceiver(headers: WebhookHeaders, body: string): string {
  const payload = JSON.parse(body) as WebhookPayload;
  const type: 'content.updated' = payload.type;
  const previous: string = payload.previous_version;
  const signature: string = headers['webhook-signature'];
  // @ts-expect-error drafts never reach a webhook: a payload has no preview version
  void payload.preview_version;
  return `${type} ${payload.version} ${previous} ${payload.changed.join(',')} ${payload.timestamp} ${signature}`;
}
