import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunbookFile } from './lint-runbooks';

/** The markdown runbooks of a directory (README.md, the generated index, excluded), sorted by name. */
export async function listRunbookFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md')
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

export async function readRunbookFiles(dir: string): Promise<RunbookFile[]> {
  const files = await listRunbookFiles(dir);
  return Promise.all(files.map(async (file) => ({ file, text: await fs.readFile(file, 'utf8') })));
}
