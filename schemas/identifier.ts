import { z } from 'zod';

/**
 * The rule every list of the API keeps: what it lists can be fetched by the slug, id, name or link
 * it is listed with. So each route parameter or filter that takes a listed value takes every
 * value the content can give, up to the bounded limit here (requests stay bounded); and content
 * that would give a value no route takes is not listed: the loader tests the value against the
 * route's own schema and, when the schema refuses it, reports it (file, line, column, field) and
 * leaves it out. Pages (`slug-too-long`, and `permalink-too-long` for their URL, see
 * MAX_PATH_LENGTH), terms (`term-not-routable`), data files (`data-name-not-routable`) and
 * headings without a usable id, which stay in the section above (`section-id-not-routable`), are
 * refused so; an id made from a heading's or question's text is cut to fit instead (see
 * src/markdown/anchor-id.ts).
 */
export const MAX_IDENTIFIER_LENGTH = 200;

/**
 * A listed value as a route takes it: a page's slug, a section's or FAQ entry's id, a term's slug
 * or name, a data file's name. Each use adds its own description and examples.
 */
export const IdentifierSchema = z.string().min(1).max(MAX_IDENTIFIER_LENGTH);

/**
 * The longest site path a route takes (`/v1/resolve?path=`, the `path` filter of /v1/pages): the
 * same rule for URLs, so a page whose permalink is longer is not listed (`permalink-too-long`).
 */
export const MAX_PATH_LENGTH = 2000;

/** A URL path of the site as a route takes it. Each use adds its own description and examples. */
export const SitePathSchema = z.string().min(1).max(MAX_PATH_LENGTH).regex(/^\//, 'must be a site path starting with /');
