import { MAX_CHANGED_SLUGS, type ContentEvent } from '../../../schemas/events.ts';

/**
 * The data of a `content` event: the version, the one before, and the changed slugs, at most
 * MAX_CHANGED_SLUGS of them. When more changed, the first are named and `truncated` says that a
 * client should refetch everything: naming them all would make one event as big as the change
 * (a git checkout of thousands of pages), to be held for every subscriber.
 */
export function contentEvent(version: string, previousVersion: string, changed: readonly string[]): ContentEvent {
  if (changed.length <= MAX_CHANGED_SLUGS) return { version, previous_version: previousVersion, changed: [...changed] };
  return { version, previous_version: previousVersion, changed: changed.slice(0, MAX_CHANGED_SLUGS), truncated: true };
}
