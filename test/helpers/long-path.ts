import { execFileSync } from 'node:child_process';

/**
 * Makes, in `parent`, sixteen nested folders of 255-character names (as git checks them out, one
 * step at a time) holding a page: past the system's longest path, so their deepest folders cannot
 * be listed. Gives the first folder's name.
 */
export function makeFoldersTooDeepToList(parent: string): string {
  const name = 'd'.repeat(255);
  const make = `const fs = require('node:fs'); for (let i = 0; i < 16; i++) { fs.mkdirSync('${name}'); process.chdir('${name}'); } fs.writeFileSync('deep.md', '---\\ntitle: Deep\\n---\\n');`;
  execFileSync(process.execPath, ['-e', make], { cwd: parent });
  return name;
}

/** Removes a tree whose paths may be longer than the system allows (node:fs cannot): rm -rf can. */
export function removeTree(dir: string): void {
  execFileSync('rm', ['-rf', dir]);
}
