/**
 * Memory of a process and all its descendants, read from /proc: what an operator's `ps` or a
 * container's limit sees of a server started as one command (npm start, nginx and its workers).
 */
import { readdir, readFile } from 'node:fs/promises';

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
