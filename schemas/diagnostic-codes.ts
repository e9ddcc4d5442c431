/**
 * Every content problem code, in one place: its severity, what it means and what to do.
 *
 * Codes are stable: a code may be added, never renamed or removed, since `npm run check
 * --format json`, GET /v1/diagnostics and content pull requests' annotations carry them.
 * `DiagnosticSchema.code` is an enum of these keys (so the OpenAPI document lists them and
 * TypeScript rejects an unknown code), and `test/diagnostics/codes.test.ts` checks that each
 * one is documented in docs/reference/diagnostics.md. Adding a code: add it here, then a
 * heading for it there (CONTRIBUTING.md, "Adding a diagnostic code").
 *
 * `severity` is the severity the loader and the checks report it with; `either` marks the
 * two codes that carry whatever their source says (`markdown`, a plugin's own message).
 * `title` is the meaning in one line; `hint` is the general advice (each problem's own
 * `hint` is more specific: it names the value and the line).
 *
 * A leaf: imports nothing (schemas/ imports only zod, and this not even that).
 */
export const diagnosticCodes = {
  // Reading files (src/content/safe-file.ts, src/content/limits.ts)
  'file-too-large': {
    severity: 'error',
    title: 'A file is larger than its cap, so it is not read.',
    hint: 'Split the page, or move large data out of it; the caps are in docs/reference/limits.md.',
  },
  'file-unreadable': {
    severity: 'error',
    title: 'A file could not be read (permissions, or it vanished while being read).',
    hint: 'Check its permissions.',
  },
  'symlink-outside': {
    severity: 'warning',
    title: 'A symbolic link leads outside the content folder, so it is skipped.',
    hint: 'Copy the file into the content folder instead of linking to it.',
  },
  'not-utf8-text': {
    severity: 'error',
    title:
      "A file is not UTF-8 text (a byte that is not UTF-8, or a NUL byte in a page), at the first such byte (Jekyll's build fails on such a config or data file, and Jekyll reports an error reading such a page). A page or a CSV data file is left out; a config, YAML or JSON data, include or navigation file is still read, with U+FFFD in place of its bad bytes, as a YAML syntax error leaves what can be read.",
    hint: 'Save the file as UTF-8.',
  },
  'not-a-regular-file': {
    severity: 'warning',
    title: 'A FIFO, socket or device sits where a page or site file would be; it is never opened.',
    hint: 'Remove it from the content folder.',
  },
  'folder-unlistable': {
    severity: 'warning',
    title:
      'A folder inside the content folder could not be listed (its path is longer than the system allows, it is not readable, or it vanished meanwhile), so no page in it is served; every other page is. Listed only with a preview token: the folder may hold drafts.',
    hint: 'Shorten the path of the folder, or make it readable to the service.',
  },

  // Front matter and YAML (src/content/front-matter.ts, src/jekyll/site-config.ts; read on workers: src/content/render-pool.ts)
  'front-matter-unclosed': {
    severity: 'error',
    title: 'The file opens a front-matter fence (---) and never closes it; nothing of it is served.',
    hint: 'Close the front matter with a line holding only ---.',
  },
  'front-matter-too-large': {
    severity: 'error',
    title: 'The front matter is longer than maxFrontMatterBytes (64 KB).',
    hint: 'Move large data to _data/ and read it with site.data.',
  },
  'front-matter-too-deep': {
    severity: 'error',
    title: 'The front matter nests deeper than maxYamlDepth (24 levels).',
    hint: 'Flatten the structure.',
  },
  'front-matter-timeout': {
    severity: 'error',
    title:
      'Reading the front matter took longer than RENDER_TIMEOUT_MS, twice; its worker was replaced and nothing of the file is served (its last good version stays).',
    hint: 'Look for a huge or deeply nested front matter; RENDER_TIMEOUT_MS raises the deadline.',
  },
  'front-matter-failed': {
    severity: 'error',
    title:
      'The worker reading the front matter crashed or ran out of memory on this file; nothing of the file is served (its last good version stays).',
    hint: 'Look for a huge or deeply nested front matter.',
  },
  'front-matter-not-a-map': {
    severity: 'error',
    title: 'The front matter is YAML but not a set of key: value pairs (a list or a lone value).',
    hint: 'Write one "key: value" per line between the --- fences.',
  },
  'yaml-syntax': {
    severity: 'error',
    title: 'The front matter (or _config.yml, or a _data/ file) is not valid YAML.',
    hint: 'Check indentation and quoting on the line; quote values that contain ": " or start with a special character.',
  },
  'yaml-warning': {
    severity: 'warning',
    title: 'The YAML parser read the file but warned about it (_config.yml or a _data/ file).',
    hint: 'Follow the message: the file is read, but maybe not as meant.',
  },
  'yaml-aliases': {
    severity: 'error',
    title:
      'The front matter, _config.yml or a _data/ file has an alias (*name) with no anchor (&name) before it, more than maxYamlAliases (50) aliases, or an alias loop ("billion laughs"); nothing of it is read.',
    hint: 'Set each anchor before its aliases; use at most 50 aliases and no alias loops.',
  },
  'sloppy-yaml': {
    severity: 'warning',
    title: 'A multi-line value in front matter is indented less than strict YAML allows; it was read as Jekyll reads it.',
    hint: 'Indent every continuation line of a multi-line value deeper than its key, or use a block scalar ("key: >").',
  },
  'quoted-scalar-under-indented': {
    severity: 'warning',
    title:
      'In _config.yml or a _data/ file, a multi-line quoted string is indented less than strict YAML allows; it was read as Jekyll reads it.',
    hint: 'Indent every continuation line of a multi-line value deeper than its key, or use a block scalar ("key: >").',
  },
  'flow-collection-under-indented': {
    severity: 'warning',
    title:
      'In _config.yml or a _data/ file, a multi-line [list] or {map} is indented less than strict YAML allows; it was read as Jekyll reads it.',
    hint: 'Indent every continuation line of a multi-line value deeper than its key.',
  },
  'duplicate-key': {
    severity: 'warning',
    title: 'A front-matter key is set more than once; the last value is kept, as Jekyll does.',
    hint: 'Remove the earlier occurrences.',
  },
  'duplicate-visibility-key': {
    severity: 'error',
    title:
      'A key that decides whether the page is public (published, date) is set more than once; the page is public only if every occurrence makes it public.',
    hint: 'Keep one occurrence of the key.',
  },
  'unsafe-key': {
    severity: 'warning',
    title: 'A __proto__, constructor or prototype key, at any depth of front matter, _config.yml or a _data/ file: dropped, never served.',
    hint: 'Rename the key.',
  },

  // The content model (src/content/validate.ts, schemas/front-matter.ts)
  'invalid-type': {
    severity: 'error',
    title: 'A front-matter value has the wrong type (a number where text is expected…); the page is left out.',
    hint: 'Quote it, or give it the type the message names.',
  },
  'invalid-value': {
    severity: 'error',
    title: 'A front-matter value has the right type but a value the content model refuses; the page is left out.',
    hint: 'Use one of the values the message names.',
  },
  'unknown-key': {
    severity: 'warning',
    title: 'A front-matter key looks like a typo of a known one (permalnk); it is kept and served as written.',
    hint: 'Use the suggested key, or ignore the warning if the key is yours.',
  },

  // Identity: slugs, permalinks, redirects (src/content/identity.ts)
  'duplicate-slug': {
    severity: 'error',
    title: 'Two pages have the same slug; the second (in file order, published first) is left out.',
    hint: 'Give one of them another slug in its front matter.',
  },
  'slug-too-long': {
    severity: 'error',
    title: 'The slug the file name gives is longer than any route takes (200 characters); the page is left out.',
    hint: 'Give the file a shorter name, or the page a shorter slug in its front matter.',
  },
  'permalink-too-long': {
    severity: 'error',
    title: 'The permalink is longer than /v1/resolve takes (2,000 characters); the page is left out.',
    hint: 'Give the page a shorter permalink.',
  },
  'term-not-routable': {
    severity: 'warning',
    title:
      'A category or tag whose name or slug is longer than the routes take (200 characters), or whose slug is . or ..; the page is served without it, and the term is not listed.',
    hint: 'Shorten the category or tag, or give it letters or digits.',
  },
  'layout-not-routable': {
    severity: 'warning',
    title: 'A layout longer than the layout filter takes (200 characters); the page is listed without it.',
    hint: 'Give the layout a shorter name.',
  },
  'collection-not-routable': {
    severity: 'error',
    title: 'A collection label longer than the type filter takes (200 characters); the collection and its documents are left out.',
    hint: 'Give the collection a shorter label, and rename its folder to match.',
  },
  'duplicate-permalink': {
    severity: 'error',
    title: 'Two pages have the same permalink; the second is left out.',
    hint: 'Give one of them another permalink in its front matter.',
  },
  'redirect-shadows-page': {
    severity: 'warning',
    title: 'A redirect_from path is the URL of a page, which wins; the redirect is ignored.',
    hint: 'Remove the path from redirect_from, or move the page.',
  },

  // Links and URLs (src/content/url-policy.ts, src/markdown/rehype-page-links.ts)
  'html-removed': {
    severity: 'warning',
    title:
      'Raw HTML the page may not carry (a script, a form control, an event handler, an unknown attribute) was removed; its text is kept unless it is a script or style sheet.',
    hint: 'Remove it from the page, or render it in the frontend.',
  },
  'embed-removed': {
    severity: 'warning',
    title: 'An <iframe> whose src is not an https URL on an allowed host (YouTube, youtube-nocookie, Vimeo, EMBED_HOSTS) was removed.',
    hint: 'Add the host to EMBED_HOSTS if it is to be trusted, or link to the content instead.',
  },
  'html-unclosed': {
    severity: 'warning',
    title:
      'A raw HTML block whose element is never closed: everything after it, to the end of its container, is read as HTML, as kramdown reads it.',
    hint: 'Close the element (or remove the extra opening tag).',
  },
  'unsafe-url': {
    severity: 'error',
    title:
      'A link target that is not http, https, mailto, tel or a path of the site (javascript:, data:…, however disguised); the link is removed, the page is still served.',
    hint: 'Link to an http(s) URL or a path of the site.',
  },
  'broken-link': {
    severity: 'warning',
    title: 'A link to a page of this site that does not exist.',
    hint: 'Fix the path, or link to the permalink of an existing page.',
  },

  // Rendering (src/content/render-pool.ts, src/markdown/, src/jekyll/liquid.ts)
  'too-deep': {
    severity: 'error',
    title:
      'Lists, block quotes, HTML elements, emphasis or link brackets nest deeper than maxStructureDepth (100 levels); the page is left out.',
    hint: 'Flatten the nesting at the line named.',
  },
  'render-timeout': {
    severity: 'error',
    title: 'The page took longer than RENDER_TIMEOUT_MS (per 128 KB of body) to render; its worker was replaced and the page is left out.',
    hint: 'Look for very deep nesting or a very long line; RENDER_TIMEOUT_MS raises the deadline.',
  },
  'page-text-unavailable': {
    severity: 'error',
    title:
      "The page's text had to be read again from its file to render it (the pages it links to or its templates read changed, or the load was too large to keep every body) but the file no longer holds the text the page was loaded with: it changed meanwhile (the load its change starts renders it), or it has errors and its last good version's text is gone (the service restarted). The page is left out.",
    hint: 'Save the file again, or fix its errors: the next load reads and renders it.',
  },
  'render-failed': {
    severity: 'error',
    title: 'The renderer crashed or ran out of memory (512 MB worker heap) on this page; the page is left out.',
    hint: 'Look for extremely deep nesting (lists, quotes, HTML) or a very long line in the body.',
  },
  markdown: {
    severity: 'either',
    title: 'A message from a markdown plugin that names no code of its own.',
    hint: 'Follow the message.',
  },
  'kramdown-ial-unattached': {
    severity: 'warning',
    title: 'A kramdown attribute list ({: .class}) has no element to attach to (kramdown would attach it to raw HTML); it is removed.',
    hint: 'Put the attribute list on the line right after a markdown block, or write the class in the HTML.',
  },
  'liquid-syntax': {
    severity: 'warning',
    title: 'A Liquid tag could not be parsed (or an include could not be read); the tag is removed from the output.',
    hint: 'Fix the Liquid tag (Jekyll would stop the build on it); to show Liquid code literally, wrap it in {% raw %}…{% endraw %}.',
  },
  'liquid-render': {
    severity: 'warning',
    title: 'A Liquid tag or include failed while rendering (or includes nest too deep); it is removed from the output.',
    hint: 'Fix the tag or the include the message names.',
  },
  'liquid-unknown-tag': {
    severity: 'warning',
    title: "A Liquid tag this site does not have (a plugin's tag whose plugin _config.yml does not name); it is removed.",
    hint: 'Name the plugin in _config.yml plugins:, or remove the tag.',
  },
  'liquid-limit': {
    severity: 'error',
    title: "The page's Liquid went past a limit (parse length, render time, memory, include renders, output size); the page is left out.",
    hint: 'The message names the limit and its setting; see docs/reference/limits.md.',
  },
  'include-missing': {
    severity: 'warning',
    title: 'An {% include %} whose file is not in _includes/: it becomes a component for the frontend.',
    hint: 'Add the file to _includes/, or render the component in the frontend.',
  },
  'section-id-not-routable': {
    severity: 'warning',
    title:
      'A heading whose id no section route takes (none: an HTML heading without id, a heading of punctuation only; or an explicit id over 200 characters) is not a section of its own.',
    hint: 'Give the heading an id of 1 to 200 characters, or write it in markdown so one is made from its text.',
  },

  // Site files (src/jekyll/, src/discovery/menus.ts)
  'config-not-a-map': {
    severity: 'error',
    title: '_config.yml is YAML but not a mapping of settings; the site is read without its settings.',
    hint: 'Write the settings as "key: value" lines at the top level.',
  },
  'invalid-config': {
    severity: 'error',
    title:
      'A setting of _config.yml the service reads (title, baseurl, permalink, exclude…) has the wrong type; it is ignored and its default applies (a bad list item: that item is left out).',
    hint: 'Give the setting the type the message names (quote a number meant as text), or remove it.',
  },
  'plugin-unsupported': {
    severity: 'warning',
    title: '_config.yml names a plugin that shapes page output and that this service does not implement (jekyll-paginate…).',
    hint: 'Expect pages to differ from what Jekyll builds where the plugin acts; remove it from plugins: if unused.',
  },
  'duplicate-data-key': {
    severity: 'warning',
    title:
      'Two entries of a _data/ folder give one key of site.data (x.yml and x.json, a.b.yml and ab.yml, x.yml and a folder x/); the one Jekyll reads last is used, the other is not.',
    hint: 'Rename or remove one of the two, or merge them.',
  },
  'data-format-unsupported': {
    severity: 'warning',
    title:
      '_config.yml sets a csv_reader or tsv_reader option (csv_converters, an encoding other than UTF-8, headers as a list) that this service does not apply; CSV and TSV data files are read as UTF-8 text with a header line.',
    hint: 'Remove the option, and convert in the template (or keep the data in .yml or .json) where numbers are needed.',
  },
  'csv-syntax': {
    severity: 'error',
    title:
      "A CSV or TSV data file is malformed (a quote left open or inside an unquoted field, mixed line endings): Ruby's CSV refuses it, failing Jekyll's build, and it is left out of site.data.",
    hint: 'Wrap a field that holds a quote, separator or line break in double quotes, writing its quotes twice; end every line alike.',
  },
  'csv-limit': {
    severity: 'error',
    title:
      'A CSV or TSV data file passes a cap on its rows, its cells (a row counted at least as wide as the header) or its rows of another length than the first line; it is left out of site.data.',
    hint: 'Split the file, or remove the blank lines, extra separators and unused columns that make it long or wide; the caps are in docs/reference/limits.md.',
  },
  'csv-header': {
    severity: 'warning',
    title:
      'The header line of a CSV or TSV data file keys some values where no template finds them, in Jekyll as here: a byte-order mark glued to the first name, an empty or repeated name, or rows with more fields than the header.',
    hint: 'Give every column one header of its own, and save the file without a byte-order mark.',
  },
  'data-extension-case': {
    severity: 'warning',
    title:
      "A _data/ file ends in .YML, .Json or another data extension not in lower case; Jekyll's file search is case-sensitive on Linux, so neither it nor this service reads the file.",
    hint: 'Rename it with the extension in lower case (X.YML to X.yml) if it is meant to be data; otherwise move it out of _data/.',
  },
  'data-key-empty': {
    severity: 'warning',
    title:
      'A _data/ file or folder has a name with no ASCII letter, digit, "_" or "-" (日本.yml), so its key is "": Jekyll keeps it there, as this service does, but only site.data[""] reads it and GET /v1/data cannot serve it.',
    hint: 'Rename the file or folder with ASCII letters or digits, and read it by that name.',
  },
  'data-name-not-routable': {
    severity: 'warning',
    title:
      'A file or folder directly in _data/ whose key (its name as Jekyll sanitizes it) is longer than /v1/data/{name} takes (200 characters): site.data holds it, as Jekyll does, but no request can get it and /v1/data does not name it.',
    hint: 'Rename it: a key keeps only the ASCII letters, digits, "_" and "-" of the name.',
  },
  'invalid-menu': {
    severity: 'error',
    title: 'A link of _data/navigation.yml does not match the menu schema; that link is left out.',
    hint: 'Give the link the shape the message names (title and url as text).',
  },

  // Live reload (src/content/load.ts)
  'serving-last-good': {
    severity: 'warning',
    title: 'This file turned bad; its last good version is still served.',
    hint: 'Fix the errors reported for the file; the page updates as soon as it is valid again.',
  },

  // Content checks, run after each load and by npm run check (src/content/checks/)
  'missing-anchor': {
    severity: 'warning',
    title: 'A link to #part (on the page or another) where the target page has no such heading or id.',
    hint: 'Use the suggested id; headings get GitHub-style ids.',
  },
  'missing-asset': {
    severity: 'warning',
    title: 'An image, video or linked file that is not in the content folder (remote URLs are not fetched).',
    hint: 'Add the file, or fix the path.',
  },
  'asset-folder-missing': {
    severity: 'warning',
    title: 'References into a top folder (/images/) the content folder does not have at all: one warning per folder.',
    hint: 'Add the folder, or ignore the warning if assets are published from elsewhere.',
  },
  'empty-title': {
    severity: 'warning',
    title: 'title: is set to nothing.',
    hint: 'Give the page a title, or remove the key.',
  },
  'duplicate-heading-id': {
    severity: 'warning',
    title: 'Two headings with the same text on a page: the second gets -1, and links to the first id reach the first.',
    hint: 'Make the headings distinct.',
  },
  'empty-heading': {
    severity: 'warning',
    title: 'A heading with no text (no id, no table-of-contents title).',
    hint: 'Give the heading text, or remove it.',
  },
  'faq-without-answer': {
    severity: 'warning',
    title: 'A question under a FAQ heading with nothing under it.',
    hint: 'Write the answer under the question.',
  },
  'faq-without-questions': {
    severity: 'warning',
    title: 'A FAQ heading with no question headings under it (questions in bold are not found).',
    hint: 'Make each question a heading one level below the FAQ heading.',
  },
} as const satisfies Record<string, { severity: 'error' | 'warning' | 'either'; title: string; hint: string }>;

/** A stable problem code: a key of {@link diagnosticCodes}. */
export type DiagnosticCode = keyof typeof diagnosticCodes;

/** The codes, for `z.enum`. */
export const DIAGNOSTIC_CODES = Object.keys(diagnosticCodes) as [DiagnosticCode, ...DiagnosticCode[]];

/** Whether `code` is a registered problem code (for codes that arrive as plain strings, such as a vfile message's ruleId). */
export function isDiagnosticCode(code: string | null | undefined): code is DiagnosticCode {
  return code != null && Object.hasOwn(diagnosticCodes, code);
}
