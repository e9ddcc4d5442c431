import { readFile } from 'node:fs/promises';

/** `npm start`'s command line from package.json: the command and its arguments. */
export async function startCommand(root: string): Promise<{ command: string; args: string[] }> {
  const { scripts } = JSON.parse(await readFile(new URL('package.json', `file://${root}/`), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(' ');
  return { command, args };
}
