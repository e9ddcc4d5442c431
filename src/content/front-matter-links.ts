import type { FrontMatter } from '../../schemas/front-matter.ts';
import { formatFieldPath } from './locate.ts';
import type { ContentProblem } from '../model/problem.ts';
import { isSafeUrl, unsafeUrlProblem } from './url-policy.ts';

/** The header keys whose value is an image the frontend shows (a `src`). */
const HEADER_IMAGES = ['image', 'teaser', 'overlay_image'] as const;

/** Front matter with every link target the API would emit judged by the URL policy. */
export interface SafeFrontMatterLinks {
  frontMatter: FrontMatter;
  problems: ContentProblem[];
  /** The page is a redirect stub whose target was removed: it has nowhere to send readers. */
  redirectRemoved: boolean;
}

/**
 * Removes the link targets of front matter that the URL policy refuses (`header.actions` URLs,
 * header images, `redirect_to`, `redirect_from`), each with an `unsafe-url` error at its line.
 * The page keeps everything else; the front matter given is not changed.
 */
export function withSafeLinks(
  frontMatter: FrontMatter,
  positionOf: (path: readonly PropertyKey[]) => { line: number; column: number },
): SafeFrontMatterLinks {
  const problems: ContentProblem[] = [];
  const refuse = (path: PropertyKey[], url: string) => problems.push(unsafeUrlProblem(url, { ...positionOf(path), field: formatFieldPath(path) }));
  const safe = (path: PropertyKey[], url: string) => {
    if (isSafeUrl(url)) return true;
    refuse(path, url);
    return false;
  };
  const result: FrontMatter = { ...frontMatter };

  if (frontMatter.header) {
    const header = { ...frontMatter.header };
    for (const key of HEADER_IMAGES) {
      const url = header[key];
      if (typeof url === 'string' && !safe(['header', key], url)) delete header[key];
    }
    if (header.actions) header.actions = header.actions.filter((action, index) => safe(['header', 'actions', index, 'url'], action.url));
    result.header = header;
  }
  const redirectRemoved = typeof frontMatter.redirect_to === 'string' && !safe(['redirect_to'], frontMatter.redirect_to);
  if (redirectRemoved) delete result.redirect_to;
  const from = frontMatter.redirect_from;
  if (typeof from === 'string' && !safe(['redirect_from'], from)) delete result.redirect_from;
  else if (Array.isArray(from)) result.redirect_from = from.filter((url, index) => safe(['redirect_from', index], url));

  return problems.length === 0 ? { frontMatter, problems, redirectRemoved } : { frontMatter: result, problems, redirectRemoved };
}
