/**
 * The longest slug or id a route takes (a page's slug, a section's or FAQ entry's id, a term's
 * slug, a data file's name): the content never produces a longer one. A page whose file name
 * would give a longer slug is reported and left out; a heading or question whose text is longer
 * gets an id cut to fit (see src/markdown/anchor-id.ts).
 */
export const MAX_IDENTIFIER_LENGTH = 200;
