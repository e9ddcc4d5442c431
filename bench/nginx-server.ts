/**
 * nginx as the benchmarks run it: serving an export folder with its generated nginx.conf, or a
 * trivial `return 200` server that shows how fast the load generator can go.
 */
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnGroup } from './service-process.ts';

export interface NginxOptions {
  /** The cores nginx runs on (taskset list), or undefined. */
  cores?: string;
  /** Overrides of the generated nginx.conf: each [what it says, what to say instead]; each must be found. */
  overrides?: [string, string][];
}

/**
 * Starts nginx on an export folder (`npm run export` wrote nginx.conf into it) and waits until it
 * answers `probe` (a URL) with 200.
 */
export async function startNginx(dir: string, probe: string, options: NginxOptions = {}): Promise<ChildProcess> {
  if (options.overrides?.length) {
    let conf = await readFile(path.join(dir, 'nginx.conf'), 'utf8');
    for (const [from, to] of options.overrides) {
      if (!conf.includes(from)) throw new Error(`nginx.conf no longer says ${JSON.stringify(from)}: update the benchmark`);
      conf = conf.replace(from, to);
    }
    await writeFile(path.join(dir, 'nginx.conf'), conf);
  }
  // Started by root, nginx's workers run as nobody: every folder above the files must let them in.
  for (let up = dir; up !== path.dirname(up) && up.startsWith('/tmp/'); up = path.dirname(up)) await chmod(up, 0o755);
  const child = spawnGroup('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'logs/error.log', '-g', 'daemon off;'], {
    cores: options.cores,
  });
  for (const deadline = Date.now() + 30_000; ;) {
    const response = await fetch(probe).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === 200) return child;
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): see ${path.join(dir, 'logs/error.log')}`);
    if (Date.now() > deadline) throw new Error(`nginx did not answer ${probe} in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Writes a folder for nginx answering every request with `200 ok` from memory, with one worker:
 * the fastest server there is to point the load generator at.
 */
export async function writeTrivialNginx(dir: string, port: number): Promise<void> {
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await writeFile(
    path.join(dir, 'nginx.conf'),
    `# npm run bench: the trivial server that shows the load generator's ceiling.
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path logs/client_body;
  proxy_temp_path logs/proxy;
  fastcgi_temp_path logs/fastcgi;
  uwsgi_temp_path logs/uwsgi;
  scgi_temp_path logs/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "ok\\n"; }
  }
}
`,
  );
}
