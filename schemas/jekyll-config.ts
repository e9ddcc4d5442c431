import { z } from 'zod';

/** A setting left empty (`baseurl:`) is nil in Jekyll: the same as not set. */
const text = z.string().nullish();
/** Jekyll wants a list; one name is taken as a list of one. */
const textList = z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string()).nullish());

/**
 * The settings of a Jekyll site's `_config.yml` that this service reads, with the types it reads
 * them as; every other key is kept as written. A setting of another type is reported
 * (`invalid-config`, at its line) and left out, so its default applies.
 */
export const JekyllConfigSchema = z.looseObject({
  title: text,
  description: text,
  url: text,
  baseurl: text,
  permalink: text,
  markdown_ext: text,
  collections_dir: text,
  include: textList,
  exclude: textList,
  future: z.boolean().nullish(),
  collections: z
    .union([z.array(z.union([z.string(), z.number()])), z.record(z.string(), z.unknown())], {
      error: 'must be a list of labels or a map of labels to settings',
    })
    .nullish(),
});
