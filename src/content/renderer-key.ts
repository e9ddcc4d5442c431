import { createHash, webcrypto } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the renderer key is derived from. */
export interface RendererSources {
  /** Folders whose code shapes parsed or rendered output; every code file under them, at any depth, is hashed. */
  roots: readonly string[];
  /** The `node_modules` folder whose markdown, Liquid, YAML and Zod packages' versions are hashed; null for none. */
  nodeModules: string | null;
}

/** The packages (top level of node_modules) whose code shapes parsed or rendered output. */
export const RENDERER_PACKAGES = /^(?:unified|remark-.*|rehype-.*|micromark.*|mdast-.*|hast-.*|unist-.*|vfile.*|github-slugger|gemoji|liquidjs|yaml|zod)$/;

/** Source and compiled code (`.ts` under tsx, `.js` once built) and the JSON schemas; not editors' swap files. */
const CODE_FILE = /\.(?:[cm]?[jt]s|json)$/;

/**
 * Derives the key of everything the renderer's output depends on besides the content: a sha256
 * over the renderer's own code files (path, size and each file's own sha256) and the versions of
 * the packages it uses.
 * Editing any of them, or upgrading a dependency, gives a new key, so caches keyed by it (the
 * warm-start pack, the site rules key) can never serve output of other code. Nothing is bumped
 * by hand.
 */
export async function deriveRendererKey(sources: RendererSources): Promise<string> {
  const [files, packages] = await Promise.all([codeFiles(sources.roots), packageVersions(sources.nodeModules)]);
  return keyOf(files, packages);
}

/** A code file's part of the key: its name (root and relative path), size and own sha256. */
export interface CodeFileDigest {
  name: string;
  size: number;
  digest: Uint8Array;
}

function keyOf(files: CodeFileDigest[], packages: readonly [string, string][]): string {
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  for (const { name, size, digest } of files) hash.update(`${name}\0${size}\0`).update(digest);
  for (const [name, version] of packages) hash.update(`${name}@${version}\0`);
  return hash.digest('hex');
}

/**
 * The renderer's folders, found beside this module: src/ under tsx, dist/src/ once compiled. In
 * the bundle `npm start` runs (`service.cjs`, scripts/bundle.ts), the code is the bundle's own
 * folder: the launcher, the server and the render worker, with every package they bundle (not the
 * compile cache, which is beside the folder). A new build of any of them renders every page again,
 * as a new version of a package does. The bundle holds the code of
 * every renderer package (none is left out of it), so their versions in node_modules are not
 * read: about 70 package.json files fewer for each start to open on its main thread.
 */
export async function defaultRendererSources(): Promise<RendererSources> {
  const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
  if (/\.[cm]js$/.test(import.meta.url)) return { roots: [at('./')], nodeModules: null };
  const roots = [at('./'), at('../model/'), at('../markdown/'), at('../jekyll/'), at('../../schemas/')];
  return { roots, nodeModules: await findNodeModules(at('./')) };
}

let memo: Promise<string> | undefined;

/**
 * Where the launcher leaves the bundle's key (see {@link handBundleRendererKey}): a global, since
 * the launcher and the service are two bundles, each with its own copy of this module.
 */
const HANDED = Symbol.for('content-api.renderer-key');
const slot = globalThis as { [HANDED]?: string };

/**
 * The key of this process's renderer (see {@link deriveRendererKey}), computed once, in the
 * background, on first call (about 10 ms for some 70 source files and 70 package.json files;
 * overlapped with reading the content), or the one the launcher computed for the bundle. It
 * never rejects.
 */
export function rendererKey(): Promise<string> {
  const handed = slot[HANDED];
  return (memo ??= handed ? Promise.resolve(handed) : defaultRendererSources().then(deriveRendererKey));
}

/**
 * The launcher's part (src/launch.ts): the key of the bundle in `folder` (the sources
 * {@link defaultRendererSources} gives the bundled service, so the same key), computed at once on
 * the main thread, for the service's {@link rendererKey} to take (and returned). `known` holds the
 * digests the launcher has already (the service script's, which names its code cache), by absolute path.
 *
 * In the background, the key was the last thing a warm start waited for before reading the
 * warm-start pack: its reads of the bundle's 4.7 MB went a chunk at a time, each waiting for a
 * main thread busy building the app and listing the content. Here, before the service is
 * evaluated, it costs the main thread 2–3 ms (the render worker's 1.5 MB read and hashed).
 */
export function handBundleRendererKey(folder: string, known: ReadonlyMap<string, Omit<CodeFileDigest, 'name'>>): string {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch {
    entries = [];
  }
  const files = entries.filter(isCodeFile).map((entry): CodeFileDigest => {
    const file = path.join(entry.parentPath, entry.name);
    const digest = known.get(file);
    if (digest) return { name: codeFileName(0, folder, file), ...digest };
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      bytes = UNREADABLE;
    }
    return { name: codeFileName(0, folder, file), size: bytes.length, digest: createHash('sha256').update(bytes).digest() };
  });
  return (slot[HANDED] = keyOf(files, []));
}

/** What a code file removed while it is read (an editor's save) counts as: never a failed load. */
const UNREADABLE = Buffer.from('\0unreadable');

/** Source and compiled code files, but type declarations. */
function isCodeFile(entry: Dirent): boolean {
  return entry.isFile() && CODE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts');
}

/** Named by root and relative path, so the key does not depend on where the project is checked out. */
function codeFileName(index: number, root: string, file: string): string {
  return `${index}/${path.relative(root, file).split(path.sep).join('/')}`;
}

async function codeFiles(roots: readonly string[]): Promise<CodeFileDigest[]> {
  const perRoot = await Promise.all(roots.map(async (root, index) => {
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return Promise.all(entries.filter(isCodeFile).map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const bytes = await readFile(file).catch(() => UNREADABLE);
      // Each file's own sha256 on libuv's threads (WebCrypto): some 70 source files under tsx.
      return { name: codeFileName(index, root, file), size: bytes.length, digest: new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes)) };
    }));
  }));
  return perRoot.flat();
}

async function packageVersions(nodeModules: string | null): Promise<[string, string][]> {
  if (!nodeModules) return [];
  const names = (await readdir(nodeModules).catch(() => [] as string[])).filter((name) => RENDERER_PACKAGES.test(name)).sort();
  return Promise.all(names.map(async (name): Promise<[string, string]> => {
    const manifest = await readFile(path.join(nodeModules, name, 'package.json'), 'utf8').catch(() => '{}');
    try {
      const { version } = JSON.parse(manifest) as { version?: unknown };
      return [name, typeof version === 'string' ? version : ''];
    } catch {
      return [name, ''];
    }
  }));
}

/** The nearest node_modules folder at or above `from`, as Node's resolution finds it. */
async function findNodeModules(from: string): Promise<string | null> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (await access(candidate).then(() => true, () => false)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
