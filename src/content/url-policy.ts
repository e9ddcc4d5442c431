import { decodeHTMLAttribute } from 'entities';
import type { ContentProblem } from '../model/problem.ts';

/** The schemes a link the API emits may use; anything else (javascript:, data:, vbscript:, file:…) is removed. */
const ALLOWED_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:', 'tel:']);
/** Stands for this site when a relative URL is resolved: what resolves onto it is a same-site path. */
const SITE = new URL('https://site.invalid/');
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** How a link target written in content is judged. */
export type UrlVerdict =
  | { safe: true; /** Written as a path, fragment or query of this site (not another host). */ sameSite: boolean }
  | { safe: false; /** The scheme a browser would see, case-folded ('' when the URL cannot be parsed). */ scheme: string };

/**
 * Judges a link target the way a browser will read it: HTML entities decoded (`&#106;avascript:`),
 * then parsed as WHATWG URLs are (leading and trailing C0 controls and spaces stripped, tabs and
 * newlines removed anywhere, scheme case-folded). Safe: http, https, mailto, tel, and paths,
 * fragments and queries of this site.
 */
export function judgeUrl(written: string): UrlVerdict {
  const decoded = decodeHTMLAttribute(written);
  let parsed: URL;
  try {
    parsed = new URL(decoded, SITE);
  } catch {
    return { safe: false, scheme: '' };
  }
  if (!ALLOWED_PROTOCOLS.has(parsed.protocol)) return { safe: false, scheme: parsed.protocol.slice(0, -1) };
  // The parser resolved it onto this site and it names no scheme of its own: a path, fragment or query.
  const normalized = decoded.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return { safe: true, sameSite: parsed.host === SITE.host && !SCHEME.test(normalized) };
}

/** Whether a link target may be emitted. */
export function isSafeUrl(written: string): boolean {
  return judgeUrl(written).safe;
}

/** Whether a link target is a path, fragment or query of this site (safe, and no other host). */
export function isSameSiteUrl(written: string): boolean {
  const verdict = judgeUrl(written);
  return verdict.safe && verdict.sameSite;
}

/** The `unsafe-url` problem for a link target that was removed, at its position. */
export function unsafeUrlProblem(written: string, where: { line: number; column: number; field: string | null }): ContentProblem {
  const verdict = judgeUrl(written);
  const scheme = verdict.safe ? '' : verdict.scheme;
  return {
    code: 'unsafe-url', severity: 'error', ...where,
    // The target itself is not repeated: it is attacker-written text, and line and column find it.
    message: `${where.field ?? 'this link'} is removed: ${scheme ? `${scheme}: is not an allowed scheme` : 'it is not a valid URL'} (links such as javascript: and data: can run code in a reader's browser)`,
    hint: 'Link with http:, https:, mailto: or tel:, or with a path of this site (/page/, other.md, #section).',
  };
}
