import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { until } from './poll.ts';

/**
 * Makes sure nginx is on the PATH, installing Debian's package when it is not (as root, with
 * apt-get), so that the tests of the export's nginx.conf run rather than skip. Throws when it
 * cannot be installed, saying how to install it.
 */
export function ensureNginx(): void {
  if (spawnSync('nginx', ['-v']).status === 0) return;
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'nginx'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  // A fresh image has no package lists: fetch them once, only when the first try needs them.
  let last = install();
  if (last.status !== 0) {
    spawnSync('apt-get', ['update'], { encoding: 'utf8' });
    last = install();
  }
  if (spawnSync('nginx', ['-v']).status === 0) return;
  const why =
    last.status === 0 ? 'it installed, but nginx is not on the PATH' : (last.stderr || last.error?.message || `exit ${last.status}`).trim();
  throw new Error(`nginx is needed and apt-get install -y nginx did not provide it (${why}); install nginx as root`);
}

/** `nginx -t` over an export folder (as its nginx.conf says to run it): whether it passed, and what nginx said. */
export function checkNginxConf(out: string): { ok: boolean; output: string } {
  const run = spawnSync('nginx', ['-t', '-p', out, '-c', path.join(out, 'nginx.conf'), '-e', 'logs/error.log'], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

/**
 * Starts nginx in the foreground over an export folder, once `nginx -t` passes (else throws with
 * nginx's message), and resolves when `probe` (a URL nginx serves) answers 200.
 */
export async function startNginx(out: string, probe: string): Promise<ChildProcess> {
  const check = checkNginxConf(out);
  if (!check.ok) throw new Error(`nginx -t refused the exported nginx.conf:\n${check.output}`);
  const nginx = spawn('nginx', ['-p', out, '-c', path.join(out, 'nginx.conf'), '-e', 'logs/error.log', '-g', 'daemon off;'], {
    stdio: 'ignore',
  });
  await until(async () => (await fetch(probe).catch(() => undefined))?.status === 200, 'nginx to answer', 30_000);
  return nginx;
}
