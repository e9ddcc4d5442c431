import type { Element, Root } from 'hast';
import { SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { reportRemoval } from './html-removed.ts';
import { walk } from './walk.ts';

/** The hosts whose players may be embedded by default (and their subdomains: www., player.). */
export const DEFAULT_EMBED_HOSTS: readonly string[] = ['youtube.com', 'youtube-nocookie.com', 'vimeo.com'];

/** Options of {@link rehypeEmbeds}. */
export interface EmbedOptions {
  /** Hosts allowed besides the defaults (EMBED_HOSTS); each also allows its subdomains. */
  hosts?: readonly string[];
}

/** What an allowed embed may do: run its player, in its own origin, fullscreen and links out; nothing else (no forms, no top navigation). */
const SANDBOX = 'allow-scripts allow-same-origin allow-presentation allow-popups';

/**
 * Embeds (`<iframe>`): kept when their `src` is an https URL on an allowed host, with `sandbox`,
 * `loading="lazy"` and `referrerpolicy` set here whatever the page wrote; any other iframe is
 * removed and reported (`embed-removed`), with the host to allow if it is trusted.
 */
export function rehypeEmbeds(options: EmbedOptions = {}) {
  const hosts = [...DEFAULT_EMBED_HOSTS, ...(options.hosts ?? [])].map((host) => host.toLowerCase());
  const allowed = (host: string) => hosts.some((name) => host === name || host.endsWith(`.${name}`));
  return (tree: Root, file: VFile) => {
    walk(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'iframe' || !parent || index === undefined) return;
      const src = typeof node.properties.src === 'string' ? node.properties.src : '';
      const url = URL.canParse(src) ? new URL(src) : null;
      if (url?.protocol === 'https:' && allowed(url.hostname)) {
        Object.assign(node.properties, { sandbox: SANDBOX, loading: 'lazy', referrerPolicy: 'strict-origin-when-cross-origin' });
        return SKIP;
      }
      parent.children.splice(index, 1);
      reportRemoval(file, node, {
        code: 'embed-removed',
        what: `<iframe src=${JSON.stringify(src.slice(0, 80))}>`,
        why: !url
          ? 'its src is not an absolute URL'
          : url.protocol !== 'https:'
            ? 'only https embeds are kept'
            : `${url.hostname} is not an allowed embed host (${hosts.join(', ')})`,
        hint: 'Link to the page instead, or, if the host is trusted, add it to EMBED_HOSTS (comma-separated, e.g. EMBED_HOSTS=mentimeter.com).',
      });
      return [SKIP, index];
    });
  };
}
