import type { NavAction } from '../../schemas/navigation.ts';
import type { FaqEntry } from '../../schemas/faq.ts';
import type { Page, PageSummary } from '../../schemas/page.ts';
import { HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, representLazily } from '../http/representation.ts';
import { extractFaq } from '../markdown/faq.ts';
import { sectionsFrom, toPlainSection, walkSections } from '../markdown/sections.ts';
import { isoDate, type PageEntry } from './entry.ts';
import { packTexts, unpackTexts } from './packed-texts.ts';
import type { LinkResolver } from './links.ts';
import { titleFromSlug } from './page-text.ts';
import { bodyOf, factsOf, IMAGE_LINK, linksOf, outlineOf, sectionOutlineOf, type RenderedBody, type RenderedPage } from './rendered-page.ts';
import type { PageRecord } from '../model/page-record.ts';
import type { SectionNode } from '../model/section-node.ts';
import type { BodyStore } from '../model/representation.ts';
import type { PageExtras } from './page-extras.ts';

/** The header actions of a page, resolved to the pages they point at. */
export function resolveActions(entry: PageEntry, resolver: LinkResolver): NavAction[] {
  return (entry.frontMatter.header?.actions ?? []).map((action) => {
    const target = resolver.findPage(action.url, entry);
    const page = target && target !== 'not-a-page' ? target : null;
    return {
      label: action.label,
      url: page ? page.permalink : action.url,
      internal: target !== 'not-a-page',
      slug: page ? page.slug : null,
      page: entry.slug,
    };
  });
}

/**
 * Assembles the page as served. `identity` names everything it is made of (source, renderer,
 * resolved links and actions): the ETags derive from it, so the JSON and HTML bodies are only
 * serialized when first asked for. The summary (what lists need) is made at once; the page as
 * served, its sections and their lookup when used, from the render the record keeps: a warm
 * start lists 10,000 pages without cutting and copying 60,000 sections first.
 */
export function buildRecord(entry: PageEntry, rendered: RenderedPage, actions: NavAction[], identity: string, extras?: PageExtras, bodies?: BodyStore): PageRecord {
  const { frontMatter } = entry;
  const summary: PageSummary = {
    slug: entry.slug,
    title: entry.title ?? rendered.firstHeading ?? titleFromSlug(entry.slug),
    permalink: entry.permalink,
    layout: frontMatter.layout ?? null,
    excerpt: frontMatter.excerpt ?? rendered.excerpt,
    date: entry.date,
    last_modified: isoDate(frontMatter.last_modified),
    collection: entry.collection,
    categories: entry.categories.length > 0 ? entry.categories : listOf(frontMatter.categories ?? frontMatter.category),
    tags: listOf(frontMatter.tags),
  };
  const servedFrontMatter = extras?.frontMatter ?? frontMatter;
  // Derived on each use, not kept: a record lives as long as its page is unchanged, and a crawl
  // that asked for every page once would otherwise keep every page's sections and page object
  // (the search index and the FAQ list alone cut every page's sections after each load). Each is
  // the render's body inflated and a few slices of its HTML, no markdown work; the serialized
  // bodies are kept in the body store, which is bounded. Only the FAQ entries, which the
  // site-wide FAQ list holds anyway, are kept, their answers deflated.
  let faq: Page['faq'] | undefined;
  const sectionsOf = (body: RenderedBody = bodyOf(rendered)) => sectionsFrom(body.html, outlineOf(body));
  const faqFrom = (sections: SectionNode[]) => (faq ??= extractFaq(sections, entry).map(withPackedAnswer));
  const faqOf = () => faq ?? faqFrom(sectionsOf());
  const pageOf = (): Page => {
    const body = bodyOf(rendered);
    const sections = sectionsOf(body);
    return {
      ...summary,
      front_matter: servedFrontMatter,
      author: extras?.author ?? null,
      images: [...(extras?.images ?? []), ...bodyImages(rendered)],
      html: body.html,
      sections: sections.map(toPlainSection),
      toc: [...walkSections(sections)].map(({ id, title, level }) => ({ id, title, level })),
      faq: faqFrom(sections),
      actions,
      components: rendered.components,
    };
  };
  const modified = new Date(entry.modified);
  return {
    file: entry.file,
    get page() {
      return pageOf();
    },
    summary,
    frontMatter: servedFrontMatter,
    actions,
    get faq() {
      return faqOf();
    },
    modified,
    json: representLazily(() => JSON.stringify(pageOf()), JSON_CONTENT_TYPE, modified, identity, bodies),
    html: representLazily(() => bodyOf(rendered).html, HTML_CONTENT_TYPE, modified, identity, bodies),
    get outline() {
      return sectionsOf();
    },
    section(id) {
      const found = sectionOutlineOf(rendered, id);
      return found && sectionsFrom(found.html, [found.section])[0];
    },
    published: entry.published,
    introduction: rendered.introduction,
    get facts() {
      return factsOf(rendered);
    },
  };
}

/** Answers shorter than this many characters (HTML and text) are kept as they are: deflating would not make them smaller. */
const PACKED_ANSWER_CHARS = 512;

/**
 * A FAQ entry whose answer is kept deflated (see packTexts) and inflated each time it is read:
 * the site-wide FAQ list keeps every entry for as long as its page, and an answer is often most
 * of a page's text, as HTML and again as plain text (at 10,000 seed pages, 29 MB of strings).
 * Reading one takes a few microseconds; answers are read when an entry is served, indexed or
 * checked.
 */
function withPackedAnswer(entry: FaqEntry): FaqEntry {
  const { html, text } = entry.answer;
  // Copied either way: the HTML of an answer under a heading is a slice of the page's HTML, and
  // kept as it is, one answer would keep the whole page's HTML in memory.
  if (html.length + text.length < PACKED_ANSWER_CHARS) return { ...entry, answer: { html: Buffer.from(html).toString(), text } };
  const packed = packTexts([html, text]);
  return {
    ...entry,
    answer: {
      get html() {
        return unpackTexts(packed).text(0);
      },
      get text() {
        return unpackTexts(packed).text(1);
      },
    },
  };
}

/** The body's images of the content folder, as the render resolved them (see rehype-asset-images.ts). */
function bodyImages(rendered: RenderedPage): Page['images'] {
  const images: Page['images'] = [];
  const seen = new Set<string>();
  for (const [href, resolution] of linksOf(rendered)) {
    if (!href.startsWith(IMAGE_LINK) || seen.has(href)) continue;
    seen.add(href);
    const image = JSON.parse(resolution) as { url: string; width: number; height: number } | null;
    if (image) images.push({ field: 'html', src: href.slice(IMAGE_LINK.length), url: image.url, width: image.width, height: image.height });
  }
  return images;
}

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter(Boolean);
}
