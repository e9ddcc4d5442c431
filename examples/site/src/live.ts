import type { ContentClient, Subscription } from '@pyos/content-client';

/**
 * Preview's live updates: the event stream says which pages changed; the view showing one of
 * them is rendered again, and a notice says so. The client reconnects on its own.
 */
export function followContent(api: ContentClient, notice: HTMLElement, refresh: (changed: string[]) => Promise<boolean>): Subscription {
  return api.events.subscribe({
    onReady: ({ version }) => {
      document.body.dataset.contentVersion = version;
    },
    onContent: async ({ version, changed }) => {
      document.body.dataset.contentVersion = version;
      const shown = await refresh(changed);
      notice.textContent = shown ? `Updated: ${changed.join(', ')}` : `Content changed: ${changed.join(', ')}`;
      notice.hidden = false;
    },
  });
}
