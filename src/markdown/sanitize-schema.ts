import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

// GitHub's schema allows only given classes on some elements (h2: sr-only, section: footnotes, li,
// ol, ul, a…), and an element's own rule wins over '*': without those rules, classes are kept on
// every element, as on `<h2 class="post-title">` in a Jekyll page.
const base: SanitizeSchema = {
  ...defaultSchema,
  attributes: Object.fromEntries(
    Object.entries(defaultSchema.attributes ?? {}).map(([tag, rules]) => [
      tag,
      rules.filter((rule) => !(Array.isArray(rule) && rule[0] === 'className')),
    ]),
  ),
};
type Attributes = NonNullable<SanitizeSchema['attributes']>;

/** The attribute lists without `name` (GitHub's schema admits it on every element). */
function withoutName(attributes: Attributes): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([tag, list]) => [
      tag,
      list.filter((attribute) => (Array.isArray(attribute) ? attribute[0] : attribute) !== 'name'),
    ]),
  );
}
const classes = ['className'] as const;

/**
 * GitHub's sanitizer rules (no script, no event handlers, no javascript:/data: URLs), widened for
 * the safe HTML real content pages carry: classes on any element, ids (bare on headings, so
 * #anchors work; prefixed elsewhere by rehype-safe-ids.ts), `aria-hidden` (icon fonts), the data
 * attributes of components left for the frontend, `style` (already cut to its safe subset by
 * rehypeStyleSubset), video with its sources' `type`, and `iframe` (only embeds from allowed hosts
 * reach the sanitizer, see rehypeEmbeds). What it still removes is reported first by
 * rehypeReportRemovedHtml. `name` is never kept: it clobbers DOM globals (`document.cookie`,
 * `form.submit`) when a fragment is injected, and nothing in content needs it.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...base,
  clobberPrefix: '',
  // Drop these elements with their content, not just their tags: CSS or script text is never page text.
  strip: ['script', 'style', 'template', 'noscript'],
  // Ids are made safe by rehypeSafeIds (headings keep theirs bare); names are not admitted at all.
  clobber: [],
  attributes: {
    ...withoutName(base.attributes ?? {}),
    '*': [...withoutName({ '*': base.attributes?.['*'] ?? [] })['*'], ...classes, 'id', 'style', 'ariaHidden'],
    div: [...(base.attributes?.div ?? []), 'dataInclude', 'dataIncludeId', 'dataIncludeParams', 'dataIncludeContext'],
    span: [...(base.attributes?.span ?? []), 'dataInclude', 'dataIncludeId', 'dataIncludeParams', 'dataIncludeContext'],
    a: [...(base.attributes?.a ?? []), 'title', ['target', '_blank']],
    img: [...(base.attributes?.img ?? []), 'title', 'width', 'height', 'loading'],
    code: [...(base.attributes?.code ?? []), ['className', /^language-./]],
    source: [...(base.attributes?.source ?? []), 'type', 'src', 'media', 'sizes', 'width', 'height'],
    video: ['src', 'poster', 'controls', 'width', 'height', 'muted', 'loop', 'playsInline', 'preload'],
    iframe: ['src', 'title', 'width', 'height', 'allow', 'allowFullScreen', 'sandbox', 'loading', 'referrerPolicy', 'frameBorder'],
  },
  // The API's URL policy (src/content/url-policy.ts), which runs first and reports what it removes:
  // GitHub's irc:/xmpp: links are refused there, and tel: links are kept.
  protocols: { ...base.protocols, href: ['http', 'https', 'mailto', 'tel'] },
  tagNames: [
    ...(base.tagNames ?? []),
    'figure',
    'figcaption',
    'aside',
    'section',
    'article',
    'mark',
    'center',
    'abbr',
    'cite',
    'small',
    'u',
    'video',
    'iframe',
  ],
};
