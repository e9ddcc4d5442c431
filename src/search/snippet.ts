import { normalizeTerm, WORD } from './text.ts';

/** Characters of text a snippet shows, about two lines. */
const SNIPPET_LENGTH = 180;
/** Characters shown before the first match, so it is read in context. */
const LEAD = 50;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/**
 * A short passage of `text` around its first matched word, HTML-escaped, each word whose
 * indexed form is in `terms` wrapped in `<mark>`. Cut at word boundaries, with `…` where text
 * was left out. Without a match, the beginning of the text.
 */
export function highlightSnippet(text: string, terms: ReadonlySet<string>): string {
  const words = [...text.matchAll(WORD)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    matched: terms.has(normalizeTerm(match[0]) ?? ''),
  }));
  const first = words.find((word) => word.matched);
  let start = first ? Math.max(0, first.start - LEAD) : 0;
  // Start at a word, not in the middle of one.
  if (start > 0) start = words.find((word) => word.start >= start)?.start ?? start;
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const last = words.filter((word) => word.end <= end).at(-1);
    if (last && last.end > start) end = last.end;
  }

  let html = start > 0 ? '…' : '';
  let cursor = start;
  for (const word of words) {
    if (!word.matched || word.start < start || word.end > end) continue;
    html += `${escapeHtml(text.slice(cursor, word.start))}<mark>${escapeHtml(text.slice(word.start, word.end))}</mark>`;
    cursor = word.end;
  }
  html += escapeHtml(text.slice(cursor, end));
  return end < text.length ? `${html.trimEnd()}…` : html;
}
