import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Text } from 'mdast';
import type { Construct, Extension } from 'micromark-util-types';
import type { Processor } from 'unified';
import { EXIT } from 'unist-util-visit';
import { walk } from './walk.ts';

/**
 * The GFM constructs a document can contain, judged by the characters they need: a table's
 * delimiter row has a `|` and an email autolink an `@`. micromark tries a table at every line
 * and an email address at every word, about 40% of parsing a typical page; leaving them out of
 * documents that cannot contain them gives the same tree, faster.
 */
export interface GfmNeeds {
  tables: boolean;
  emails: boolean;
}

export function gfmNeedsOf(markdown: string): GfmNeeds {
  return { tables: markdown.includes('|'), emails: markdown.includes('@') };
}

/** remark-gfm for documents with these needs: its syntax minus the constructs they cannot use. */
export function remarkGfmFor(this: Processor, needs: GfmNeeds): void {
  const skipped = new Set<string>();
  if (!needs.tables) skipped.add('table');
  if (!needs.emails) skipped.add('emailAutolink');
  const data = this.data();
  (data.micromarkExtensions ??= []).push(withoutConstructs(gfm(), skipped));
  (data.fromMarkdownExtensions ??= []).push(
    gfmFromMarkdown().map((extension) =>
      extension.transforms ? { ...extension, transforms: extension.transforms.map(onlyWhenSomeTextMayLink) } : extension,
    ),
  );
}

type MdastExtension = ReturnType<typeof gfmFromMarkdown>[number];
type MdastTransform = NonNullable<MdastExtension['transforms']>[number];

/** What a literal autolink found in text needs: an `@` (email, mailto:, xmpp:), `http(s)://` or `www.`. */
const MAY_HOLD_LITERAL_LINK = /@|https?:\/\/|www\./i;

/**
 * GFM's one mdast transform (literal autolinks) runs four regular expressions over every text
 * node, about an eighth of parsing a seed-sized page. It is run only when some text node has what
 * such a link needs, which most pages' text (their links are in link nodes) does not.
 */
function onlyWhenSomeTextMayLink(transform: MdastTransform): MdastTransform {
  return (tree) => {
    let candidate = false;
    walk<Text>(tree, 'text', (node) => {
      if (!MAY_HOLD_LITERAL_LINK.test(node.value)) return undefined;
      candidate = true;
      return EXIT;
    });
    return candidate ? transform(tree) : undefined;
  };
}

function withoutConstructs(extension: Extension, names: ReadonlySet<string>): Extension {
  if (names.size === 0) return extension;
  const kept = (constructs: Construct | Construct[]) => [constructs].flat().filter((construct) => !names.has(construct.name ?? ''));
  return Object.fromEntries(
    Object.entries(extension).map(([field, value]) => {
      if (field === 'disable' || value === undefined) return [field, value];
      const map = value as Record<string, Construct | Construct[]>;
      return [field, Object.fromEntries(Object.entries(map).map(([code, constructs]) => [code, kept(constructs)]))];
    }),
  );
}
