/**
 * Where the content API is, and the preview token in preview: read at run time from
 * /site-config.json (so one build serves any environment), else from the build's
 * VITE_CONTENT_API and VITE_PREVIEW_TOKEN.
 */
export interface SiteConfig {
  apiUrl: string;
  previewToken?: string;
}

export async function loadConfig(): Promise<SiteConfig> {
  const response = await fetch('/site-config.json', { cache: 'no-store' }).catch(() => undefined);
  if (response?.ok && /json/.test(response.headers.get('content-type') ?? '')) return (await response.json()) as SiteConfig;
  return {
    apiUrl: import.meta.env.VITE_CONTENT_API ?? 'http://localhost:3000',
    previewToken: import.meta.env.VITE_PREVIEW_TOKEN || undefined,
  };
}
