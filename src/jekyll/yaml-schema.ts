import type { DocumentOptions, ScalarTag, SchemaOptions, Tags } from 'yaml';

const BOOL_TAG = 'tag:yaml.org,2002:bool';

/**
 * YAML 1.1 types that JSON cannot hold: bytes, dates, sets and ordered maps. Left out of the
 * schema, a value tagged with one is read as the text, map or list written, with a warning:
 * never a byte array served as an object, nor a set or ordered map served as `{}`.
 */
const NON_JSON_TAGS = new Set(['timestamp', 'binary', 'set', 'omap', 'pairs'].map((name) => `tag:yaml.org,2002:${name}`));

/**
 * Booleans as Ruby's Psych (Jekyll's YAML parser) reads them: yes, true and on, no, false and
 * off, in any case. YAML 1.1 as the yaml package has it also takes y and n, which Psych leaves text.
 */
const psychBool: ScalarTag = {
  tag: BOOL_TAG,
  default: true,
  identify: (value) => typeof value === 'boolean',
  test: /^(?:yes|true|on|no|false|off)$/i,
  resolve: (text) => /^(?:yes|true|on)$/i.test(text),
};

/**
 * The tags of every YAML file of a site (front matter, `_config.yml`, `_data/`): YAML 1.1's, as
 * Jekyll reads them (booleans as above, merge keys, octal and `1_000` numbers), but data only:
 * the types JSON cannot hold are unresolved tags (see NON_JSON_TAGS), and timestamps and
 * sexagesimal numbers (`10:30`, which Psych reads as 630) stay the text written.
 */
function jekyllTags(tags: Tags): Tags {
  const kept: Tags = [];
  for (const tag of tags) {
    if (typeof tag === 'string') kept.push(tag);
    else if (tag.tag === BOOL_TAG) {
      // The package's two (true and false) become the one above.
      if (!kept.includes(psychBool)) kept.push(psychBool);
    } else if (!NON_JSON_TAGS.has(tag.tag) && !('format' in tag && tag.format === 'TIME')) kept.push(tag);
  }
  return kept;
}

/** What every parse of a site's YAML starts from. */
export const JEKYLL_YAML: Pick<DocumentOptions & SchemaOptions, 'version' | 'customTags'> = {
  version: '1.1',
  customTags: jekyllTags,
};
