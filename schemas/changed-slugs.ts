import { z } from 'zod';

/**
 * Slugs one announcement of a new content version names at most: a `content` event on /v1/events
 * and a webhook payload alike. A bigger change (a git checkout, a folder moved in) is announced
 * with the first of them and `truncated: true`, so that an announcement stays a few tens of KB
 * however much changed: every subscriber gets it, and no webhook receiver refuses it for its size.
 */
export const MAX_CHANGED_SLUGS = 1_000;

/**
 * The cap as the descriptions write it (`1,000`). Not with toLocaleString: ICU's number formats
 * take 10–15 ms to load at their first use, and these descriptions are made at every start.
 */
export const MAX_CHANGED_SLUGS_TEXT = String(MAX_CHANGED_SLUGS).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * The `changed` and `truncated` fields of an announcement, for its schema to spread in, so that
 * the cap and what `truncated` means are stated once. `slugs` says which pages `changed` names
 * (published ones only, or drafts too), the one thing the announcements differ in.
 */
export function changedSlugsFields(slugs: string) {
  return {
    changed: z
      .array(z.string())
      .max(MAX_CHANGED_SLUGS)
      .describe(`${slugs} At most ${MAX_CHANGED_SLUGS_TEXT}: beyond, the first of them, and \`truncated\`.`),
    truncated: z
      .literal(true)
      .optional()
      .describe(
        `Present when more than ${MAX_CHANGED_SLUGS_TEXT} pages changed: \`changed\` names only some of them, so refetch ` +
          'everything (the lists, and any page shown).',
      ),
  };
}

/** What an announcement says changed: `changed`, and `truncated` when it had to leave slugs out. */
export type ChangedSlugs = z.infer<z.ZodObject<ReturnType<typeof changedSlugsFields>>>;

/**
 * The changed slugs as an announcement names them: all of them up to MAX_CHANGED_SLUGS; beyond,
 * the first MAX_CHANGED_SLUGS and `truncated: true` (never `truncated: false`: the field is there
 * only when slugs were left out).
 */
export function capChangedSlugs(changed: readonly string[]): ChangedSlugs {
  if (changed.length <= MAX_CHANGED_SLUGS) return { changed: [...changed] };
  return { changed: changed.slice(0, MAX_CHANGED_SLUGS), truncated: true };
}
