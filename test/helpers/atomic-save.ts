import { readFile, rename, writeFile } from 'node:fs/promises';

/** An editor's atomic save of `file`: its text edited by `edit`, written to a temporary file beside it and renamed over it. */
export async function saveAtomically(file: string, edit: (text: string) => string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(`${file}.tmp`, edit(text));
  await rename(`${file}.tmp`, file);
}
