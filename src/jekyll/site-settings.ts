/** The `_config.yml` keys that describe the site to readers; everything else (API keys, build settings) stays private. */
const PUBLIC_KEYS = [
  'title',
  'name',
  'description',
  'url',
  'baseurl',
  'locale',
  'title_separator',
  'logo',
  'repository',
  'timezone',
  'author',
  'social',
  'footer',
  'twitter',
  'og_image',
  'teaser',
  'masthead_title',
  'subtitle',
  'words_per_minute',
] as const;
/** Keys that never leave the server, even nested inside a public key. */
const SECRET = /secret|token|password|api[_-]?key|private|credential/i;

/** Site settings for GET /v1/site: the public keys of the config, secrets removed at every depth. */
export function publicSiteSettings(config: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of PUBLIC_KEYS) if (config[key] !== undefined && config[key] !== null) settings[key] = withoutSecrets(config[key]);
  return settings;
}

/** A value with every key that looks secret removed, at every depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !SECRET.test(key))
        .map(([key, inner]) => [key, withoutSecrets(inner)]),
    );
  }
  return value;
}
