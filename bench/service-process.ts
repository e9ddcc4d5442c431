/**
 * The service as the benchmarks run it: the command `npm start` runs (`node --max-semi-space-size=8 dist/bundle/server.mjs`),
 * as a separate process in its own process group, observed from outside over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The executable and arguments of an npm script that runs the server (`npm start`, `npm run
 * build:cache`), from package.json; `node` is this very Node. Exits with a message when the compiled build is missing
 * or older than the sources it is built from.
 */
export async function npmScriptCommand(script: 'start' | 'build:cache'): Promise<{ executable: string; args: string[] }> {
  const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<typeof script, string> };
  const [command, ...args] = scripts[script].split(' ');
  const entry = args.find((arg) => /\.m?js$/.test(arg));
  if (entry) {
    const built = await stat(path.join(root, entry)).catch(() => undefined);
    const newest = await newestMtime(['src', 'schemas'].map((dir) => path.join(root, dir)));
    if (!built || built.mtimeMs < newest) {
      process.stderr.write(
        `${entry} is ${built ? 'older than the sources' : 'missing'}: run \`npm run build\` first (the benchmark measures what \`npm start\` runs).\n`,
      );
      process.exit(2);
    }
  }
  return { executable: command === 'node' ? process.execPath : path.join(root, 'node_modules/.bin', command), args };
}

async function newestMtime(dirs: string[]): Promise<number> {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts'))
        newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Process groups started here and not yet ended: killed when this process exits, however it does. */
const groups = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of groups) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts a command in a process group of its own (on `cores`, a taskset list, if given). */
export function spawnGroup(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cores?: string } = {}): ChildProcess {
  const [file, argv] = options.cores ? ['taskset', ['-c', options.cores, command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  groups.add(child);
  child.once('exit', () => groups.delete(child));
  return child;
}

/** Sends `signal` to the child's whole process group and waits for the child to exit; its exit code, or the signal that ended it. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return describeExit(child);
  const exited = once(child, 'exit');
  process.kill(-child.pid!, signal);
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
  return describeExit(child);
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `killed by ${child.signalCode}` : `exit ${child.exitCode}`;
}

/** The total of /v1/pages (every published page), or undefined while the service does not answer it. */
export async function pagesListed(base: string): Promise<number | undefined> {
  const response = await fetch(`${base}/v1/pages?limit=1`).catch(() => undefined);
  if (response?.status !== 200) {
    await response?.arrayBuffer();
    return undefined;
  }
  return ((await response.json()) as { total: number }).total;
}

/**
 * Polls /v1/pages?limit=1 every `pollMs` until it lists `pages` pages; the milliseconds from
 * `startedAt` (a performance.now() time). Fails when the process exits or after `timeoutMs`.
 */
/**
 * Milliseconds from `startedAt` until /ready answers 200: the first version is served, every page
 * rendered (a first start lists its pages before: see untilListed).
 */
export async function untilReady(
  base: string,
  options: { startedAt: number; child: ChildProcess; pollMs?: number; timeoutMs?: number },
): Promise<number> {
  const deadline = options.startedAt + (options.timeoutMs ?? 900_000);
  for (;;) {
    const ready = await fetch(`${base}/ready`).then(
      async (response) => {
        await response.arrayBuffer();
        return response.ok;
      },
      () => false,
    );
    if (ready) return performance.now() - options.startedAt;
    if (options.child.exitCode !== null || options.child.signalCode !== null)
      throw new Error(`the service ended (${describeExit(options.child)}) before it was ready`);
    if (performance.now() > deadline) throw new Error(`the service was not ready in ${(options.timeoutMs ?? 900_000) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}

export async function untilListed(
  base: string,
  pages: number,
  options: { startedAt: number; child: ChildProcess; pollMs?: number; timeoutMs?: number },
): Promise<number> {
  const deadline = options.startedAt + (options.timeoutMs ?? 900_000);
  for (;;) {
    if ((await pagesListed(base)) === pages) return performance.now() - options.startedAt;
    if (options.child.exitCode !== null || options.child.signalCode !== null)
      throw new Error(`the service ended (${describeExit(options.child)}) before it listed ${pages} pages`);
    if (performance.now() > deadline)
      throw new Error(`the service did not list ${pages} pages in ${(options.timeoutMs ?? 900_000) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 20));
  }
}
