/**
 * Memory of a process and all its descendants, read from /proc: what an operator's `ps` or a
 * container's limit sees of a server started as one command (npm start, nginx and its workers).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of the times in /proc/PID/stat. */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The process and its descendants, parents first (threads are not processes: a worker thread is in its process). */
export async function processTree(pid: number): Promise<number[]> {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    // Each thread of a process lists the children it forked.
    const tasks = await readdir(`/proc/${tree[i]}/task`).catch(() => []);
    for (const task of tasks) {
      const children = await readFile(`/proc/${tree[i]}/task/${task}/children`, 'utf8').catch(() => '');
      tree.push(...children.split(' ').filter(Boolean).map(Number));
    }
  }
  return tree;
}

/** CPU time (user and system, every thread) a process and its descendants have used so far, in seconds. */
export async function treeCpuSeconds(pid: number): Promise<number> {
  let ticks = 0;
  for (const member of await processTree(pid)) {
    const stat = await readFile(`/proc/${member}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / CLOCK_TICKS;
}

export interface TreeMemory {
  /** Sum of the resident set sizes, MB (pages shared between the processes counted in each). */
  rssMb: number;
  /** Sum of the proportional set sizes, MB (shared pages split between their processes). */
  pssMb: number;
  processes: number;
}

/** RSS and PSS of a process tree, in MB. */
export async function treeMemory(pid: number): Promise<TreeMemory> {
  let rssKb = 0;
  let pssKb = 0;
  const tree = await processTree(pid);
  for (const member of tree) {
    const rollup = await readFile(`/proc/${member}/smaps_rollup`, 'utf8').catch(() => '');
    rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return { rssMb: Math.round(rssKb / 1024), pssMb: Math.round(pssKb / 1024), processes: tree.length };
}
