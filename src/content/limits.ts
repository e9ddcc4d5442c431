/** Caps that keep a hostile or broken file from hanging or crashing the loader. */
export const contentLimits = {
  /** Largest markdown file read, in bytes. */
  maxFileBytes: 1024 * 1024,
  /** Largest `_config.yml`, in bytes. */
  maxConfigFileBytes: 256 * 1024,
  /** Largest `_data/` file (YAML or JSON), in bytes. */
  maxDataFileBytes: 1024 * 1024,
  /** Largest `_includes/` template or navigation file, in bytes. */
  maxIncludeFileBytes: 256 * 1024,
  /** Most files read from each of `_data/` and `_includes/`. */
  maxSiteFiles: 2000,
  /** Largest front-matter block, in bytes. */
  maxFrontMatterBytes: 64 * 1024,
  /** Deepest nesting of YAML collections (maps and lists) accepted. */
  maxYamlDepth: 24,
  /** Most YAML aliases (*ref) expanded: guards against "billion laughs". */
  maxYamlAliases: 50,
} as const;
