/**
 * `fields=` at the type level: a list asked for some fields answers items with those fields
 * (and `slug`, always), so reading a field not asked for is a compile error.
 */
import type { FrontMatter } from './generated/front-matter.js';
import type { PageListItem } from './resources.js';

/** A summary field `fields=` can name. */
export type PageField = keyof PageListItem;

/**
 * A front-matter path (`front_matter.header.teaser`), for services that accept them in
 * `fields=`; the item then carries that value under `front_matter`, nested as in the page.
 */
export type FrontMatterPath = `front_matter.${string}`;

/** Everything `fields=` can name. */
export type PageFieldPath = PageField | FrontMatterPath;

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** The value at a dotted path of the front matter, nested as it is in the page. */
type Nested<T, Path extends string> = Path extends `${infer Key}.${infer Rest}`
  ? { [K in Key]?: Nested<Key extends keyof NonNullable<T> ? NonNullable<T>[Key] : unknown, Rest> }
  : { [K in Path]?: Path extends keyof NonNullable<T> ? NonNullable<T>[Path] : unknown };

type FrontMatterPick<Path> = Path extends `front_matter.${infer Rest}` ? { front_matter: Nested<FrontMatter, Rest> } : never;

/** A page summary narrowed to the fields asked for (`slug` always). */
export type PageSummary<F extends PageFieldPath = PageField> = Pick<PageListItem, Extract<F, PageField> | 'slug'> &
  ([Extract<F, FrontMatterPath>] extends [never] ? unknown : UnionToIntersection<FrontMatterPick<Extract<F, FrontMatterPath>>>);
