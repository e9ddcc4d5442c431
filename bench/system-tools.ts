/**
 * The programs the benchmarks drive besides Node (wrk, nginx, Hugo): found on PATH, else installed
 * from Debian's packages with apt-get when this user may (root), else a clear message and exit.
 */
import { spawnSync } from 'node:child_process';

export interface SystemTool {
  /** The command, as run. */
  command: string;
  /** Arguments that make it print its version and exit 0 when it works. */
  versionArgs: string[];
  /** Debian packages that provide it. */
  packages: string[];
  /** What the benchmark needs it for, for the message when it is missing. */
  purpose: string;
}

export const WRK: SystemTool = { command: 'wrk', versionArgs: ['-v'], packages: ['wrk'], purpose: 'the HTTP load generator' };
export const NGINX: SystemTool = {
  command: 'nginx',
  versionArgs: ['-v'],
  packages: ['nginx', 'libnginx-mod-http-brotli-static'],
  purpose: 'serving the static export beside the service, and the trivial server that shows the load generator’s ceiling',
};
export const HUGO: SystemTool = {
  command: 'hugo',
  versionArgs: ['version'],
  packages: ['hugo'],
  purpose: 'the yardstick build of the same pages',
};

/** The first line the tool prints about its version, or undefined when it does not run. */
function version(tool: SystemTool): string | undefined {
  const run = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8' });
  // wrk -v prints its banner and exits 1.
  if (run.error) return undefined;
  return (
    `${run.stdout}${run.stderr}`
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? tool.command
  );
}

/** Makes sure `tool` runs: installs its Debian packages if it does not, or exits with what to do. */
export function requireTool(tool: SystemTool): string {
  const found = version(tool);
  if (found) return found;
  const install = `apt-get install -y ${tool.packages.join(' ')}`;
  process.stdout.write(`${tool.command} (${tool.purpose}) is not installed: ${install}\n`);
  const root = process.getuid?.() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', ...tool.packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = version(tool);
    if (installed) return installed;
  }
  process.stderr.write(
    `${tool.command} is needed for ${tool.purpose} and could not be ${root && apt ? 'installed' : 'installed by this user'}.\n` +
      `Install it (Debian or Ubuntu: sudo ${install}), or put it on PATH, then run the benchmark again.\n`,
  );
  process.exit(2);
}
