import type { FilePosition } from '../../model/page-facts.ts';
import type { ParsedFrontMatter } from '../front-matter.ts';
import { locateField } from '../locate.ts';

/** Where front matter (as written, before site defaults) sets `title` to nothing, or null. */
export function emptyTitleOf(parsed: ParsedFrontMatter): FilePosition | null {
  if (!Object.hasOwn(parsed.data, 'title')) return null;
  const { title } = parsed.data;
  if (title !== null && !(typeof title === 'string' && title.trim() === '')) return null;
  if (!parsed.document) return { line: parsed.yamlLine, column: 1 };
  const position = locateField(parsed.document, ['title'], parsed.lineCounter);
  return { line: parsed.yamlLine + position.line - 1, column: position.col };
}
