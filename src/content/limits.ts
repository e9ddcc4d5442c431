/** Caps that keep a hostile or broken file from hanging or crashing the loader. */
export const contentLimits = {
  /** Largest markdown file read, in bytes. */
  maxFileBytes: 1024 * 1024,
  /** Largest `_config.yml`, in bytes. */
  maxConfigFileBytes: 256 * 1024,
  /** Largest `_data/` file (YAML, JSON, CSV or TSV), in bytes. */
  maxDataFileBytes: 1024 * 1024,
  /**
   * Most rows of one CSV or TSV data file, the header line included. Each row is an object in
   * site.data; 1 MB of blank lines would be a million of them (seconds to build, hundreds of MB).
   * A file of real rows within maxDataFileBytes averages more than 10 bytes a row.
   */
  maxCsvRows: 100_000,
  /**
   * Most cells of one CSV or TSV data file, a row counted at least as wide as its header (each
   * header is a key of every row's map): 1,000 headers over 50,000 blank lines would be 50
   * million keys. A file within maxDataFileBytes stays under it unless its rows are much
   * shorter than its header.
   */
  maxCsvCells: 1024 * 1024,
  /**
   * Most rows of one CSV or TSV data file with another number of fields than its first line.
   * csv-parse builds an error object for each such row (it is then relaxed, not thrown), some
   * 30 µs each; a spreadsheet's export has none, a hand-written file a few blank lines.
   */
  maxCsvRaggedRows: 10_000,
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
  /**
   * Deepest nesting of lists, block quotes, HTML elements, emphasis or link brackets in a body
   * (the order of markdown-it's maxNesting). Real pages nest a handful of levels; 3,000 levels in
   * a few KB make the markdown parser take seconds (see `npx tsx bench/nesting.ts`).
   */
  maxStructureDepth: 100,
  /** Caps on one page's Liquid (Jekyll sites); going past one is a `liquid-limit` error. */
  liquid: {
    /**
     * Longest template liquidjs parses in one go (a body, or an include file), in characters
     * (liquidjs `parseLimit`). The body itself is already capped by maxFileBytes.
     */
    parseLimit: 1024 * 1024,
    /**
     * Time one page's Liquid may take, in ms, across its repair attempts (liquidjs `renderLimit`,
     * checked between tags and loop iterations). Well under the 2 s a page render may take.
     */
    renderLimitMs: 1000,
    /**
     * What one render may allocate, counted by liquidjs (`memoryLimit`) as range and array
     * lengths and string lengths of filters (join, append, split, upcase…). Stops
     * `(1..100000000)` before its array exists; real pages use a few thousand.
     */
    memoryLimit: 10_000_000,
    /**
     * Includes evaluated per page (rendered or left as placeholders), over all depths: an include
     * that includes itself 6 times, 10 deep, would be 6^10 renders. pyOpenSci's contributors page
     * evaluates about 500.
     */
    maxIncludeRenders: 10_000,
    /** Text Liquid writes for one page, captures included, in bytes. */
    maxOutputBytes: 4 * 1024 * 1024,
  },
} as const;
