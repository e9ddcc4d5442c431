/**
 * Jekyll's front matter defaults (`defaults:` in _config.yml), as Jekyll 4's
 * `FrontmatterDefaults#all` and `Utils.deep_merge_hashes` apply them.
 */

/** The file the defaults are looked up for. */
export interface DefaultsTarget {
  /** Path relative to the site folder, e.g. `_posts/2024-01-02-hello.md` or `_pages/about.md`. */
  path: string;
  /** `pages`, `posts`, `drafts`, or a collection label. */
  type: string;
}

/** One entry of `defaults:`. Entries of any other shape are ignored, as Jekyll ignores them. */
export interface FrontMatterDefault {
  scope?: { path?: unknown; type?: unknown };
  values: Record<string, unknown>;
}

type Mapping = Record<string, unknown>;

/** Jekyll still accepts the singular type names, and means the plural ones. */
const DEPRECATED_TYPES: Readonly<Record<string, string>> = { page: 'pages', post: 'posts', draft: 'drafts' };

/**
 * Returns the front matter with the matching defaults filled in.
 *
 * - A set applies when its `scope.type` (if any) equals the target's type and
 *   its `scope.path` (if non-empty) is a prefix of the target's path, or, if
 *   it contains `*`, a glob matching the path or one of its folders.
 * - Sets are merged in order; a set with a longer `scope.path` — or, for equal
 *   paths, one that names a type — wins over what came before, otherwise the
 *   earlier values win.
 * - The front matter wins over the defaults. Nested mappings are merged key by
 *   key; arrays and other values are replaced; a key the front matter leaves
 *   empty (null) keeps the default's value.
 * - For documents (any type but `pages`), `categories` from the defaults and
 *   the front matter are united, a string being split at white space.
 *
 * Jekyll leaves a scope path that starts with `/` unmatched, and so does this.
 */
export function applyDefaults(defaults: unknown, target: DefaultsTarget, frontMatter: Mapping): Mapping {
  const isDocument = target.type !== 'pages';
  let merged = matchingDefaults(defaults, target);
  let overlay = frontMatter;
  if (isDocument) {
    if (merged.categories != null) merged = { ...merged, categories: categoryList(merged.categories) };
    overlay = uniteCategories(merged, frontMatter);
  }
  return structuredClone(deepMerge(merged, overlay));
}

/** The merged values of every `defaults:` set that applies to `target` (Jekyll's `FrontmatterDefaults#all`). */
export function matchingDefaults(defaults: unknown, target: DefaultsTarget): Mapping {
  let merged: Mapping = {};
  let winningScope: Mapping | null = null;
  for (const set of validSets(defaults)) {
    const scope = (set.scope ?? {}) as Mapping;
    if (!appliesTo(scope, target)) continue;
    if (hasPrecedence(winningScope, scope)) {
      merged = deepMerge(merged, set.values);
      winningScope = scope;
    } else {
      merged = deepMerge(set.values, merged);
    }
  }
  return merged;
}

function validSets(defaults: unknown): FrontMatterDefault[] {
  if (!Array.isArray(defaults)) return [];
  return defaults.filter(
    (set): set is FrontMatterDefault => isMapping(set) && isMapping(set.values) && (set.scope == null || isMapping(set.scope)),
  );
}

function appliesTo(scope: Mapping, target: DefaultsTarget): boolean {
  return appliesToType(scope, target.type) && appliesToPath(scope, target.path);
}

function appliesToType(scope: Mapping, type: string): boolean {
  if (!('type' in scope)) return true;
  const scoped = String(scope.type);
  return (DEPRECATED_TYPES[scoped] ?? scoped) === type;
}

function appliesToPath(scope: Mapping, path: string): boolean {
  const scopePath = scope.path;
  if (typeof scopePath !== 'string' || scopePath === '') return true;
  const sanitized = sanitizePath(path);
  if (scopePath.includes('*')) return globMatchesPathOrFolder(scopePath, sanitized);
  // A plain string prefix, as in Jekyll: "_pages/about" also covers "_pages/about-us.md".
  return sanitized.startsWith(scopePath);
}

/**
 * Jekyll globs the scope on disk and checks whether the file lies in (or is)
 * a match; without a disk, the same is: the glob matches the path or one of
 * its folders. A glob starting with `/` is taken from the file-system root by
 * Jekyll, so it matches nothing.
 */
function globMatchesPathOrFolder(glob: string, path: string): boolean {
  if (glob.startsWith('/')) return false;
  const pattern = globToRegExp(glob.replace(/\/+$/, ''));
  const segments = path.split('/');
  for (let count = 1; count <= segments.length; count += 1) {
    if (pattern.test(segments.slice(0, count).join('/'))) return true;
  }
  return false;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const character = glob[i];
    if (character === '*' && glob[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      source += glob[i + 2] === '/' ? '(?:[^/]+/)*' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function hasPrecedence(oldScope: Mapping | null, newScope: Mapping): boolean {
  if (oldScope === null) return true;
  const newPath = sanitizePath(newScope.path);
  const oldPath = sanitizePath(oldScope.path);
  if (newPath.length !== oldPath.length) return newPath.length >= oldPath.length;
  if ('type' in newScope) return true;
  return !('type' in oldScope);
}

/** Jekyll's `sanitize_path`: drops one leading slash. */
function sanitizePath(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '';
  return path.startsWith('/') ? path.slice(1) : path;
}

/** Jekyll's `deep_merge_hashes`: `overwrite` wins, except where it is null. */
function deepMerge(target: Mapping, overwrite: Mapping): Mapping {
  const merged: Mapping = { ...target };
  for (const [key, value] of Object.entries(overwrite)) {
    const existing = merged[key];
    if (!Object.hasOwn(merged, key)) merged[key] = value;
    else if (value == null) continue;
    else if (isMapping(existing) && isMapping(value)) merged[key] = deepMerge(existing, value);
    else merged[key] = value;
  }
  return merged;
}

/** Jekyll's `Document#merge_categories!`: front matter categories add to the defaults' ones. */
function uniteCategories(defaults: Mapping, frontMatter: Mapping): Mapping {
  if (frontMatter.categories == null) return frontMatter;
  const own = categoryList(frontMatter.categories);
  const inherited = defaults.categories == null ? [] : categoryList(defaults.categories);
  return { ...frontMatter, categories: [...new Set([...inherited, ...own])] };
}

function categoryList(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((word) => word !== '');
  return Array.isArray(value) ? value : [value];
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
