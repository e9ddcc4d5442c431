import { createHash, webcrypto } from 'node:crypto';
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
 * The key of this process's renderer (see {@link deriveRendererKey}), computed once, in the
 * background, on first call (about 10 ms for some 70 source files and 70 package.json files,
 * 5 ms for the bundle; overlapped with reading the content). It never rejects.
 */
export function rendererKey(): Promise<string> {
  return (memo ??= defaultRendererSources().then(deriveRendererKey));
}

async function codeFiles(roots: readonly string[]): Promise<{ name: string; size: number; digest: Uint8Array }[]> {
  const perRoot = await Promise.all(roots.map(async (root, index) => {
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries.filter((entry) => entry.isFile() && CODE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts'));
    return Promise.all(files.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      // Named by root and relative path, so the key does not depend on where the project is checked out.
      const name = `${index}/${path.relative(root, file).split(path.sep).join('/')}`;
      // A file removed while it is read (an editor's save) still counts, as unreadable: never a failed load.
      const bytes = await readFile(file).catch(() => Buffer.from('\0unreadable'));
      // Each file's own sha256 on libuv's threads (WebCrypto): the bundle's 5 MB took the main
      // thread about 5 ms of every start.
      return { name, size: bytes.length, digest: new Uint8Array(await webcrypto.subtle.digest('SHA-256', bytes)) };
    }));
  }));
  return perRoot.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
