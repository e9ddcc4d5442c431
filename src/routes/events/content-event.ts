import { capChangedSlugs } from '../../../schemas/changed-slugs.ts';
import type { ContentEvent } from '../../../schemas/events.ts';

/**
 * The data of a `content` event: the version, the one before, and the changed slugs, at most
 * MAX_CHANGED_SLUGS of them. When more changed, the first are named and `truncated` says that a
 * client should refetch everything: naming them all would make one event as big as the change
 * (a git checkout of thousands of pages), to be held for every subscriber.
 */
export function contentEvent(version: string, previousVersion: string, changed: readonly string[]): ContentEvent {
  return { version, previous_version: previousVersion, ...capChangedSlugs(changed) };
}
