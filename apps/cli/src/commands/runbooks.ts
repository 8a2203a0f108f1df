import fs from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, indexFileName, lintRunbooks, readRunbookFiles, renderRunbookIndex } from '@triage/runbooks';

async function loadDir(dir: string) {
  const files = await readRunbookFiles(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read runbooks from ${dir}: ${error.code === 'ENOENT' ? 'no such directory' : error.message}`);
  });
  if (files.length === 0) throw new Error(`no runbooks (*.md besides README.md) in ${dir}`);
  return files;
}

/** `triage runbooks lint [dir]`: every problem as file:line; exit 1 when any is an error. */
export async function lintRunbooksCommand(dir: string): Promise<number> {
  const files = await loadDir(dir);
  process.stderr.write(`checking ${files.length} runbooks in ${dir}\n`);
  const { runbooks, problems } = lintRunbooks(files.map((file) => ({ ...file, file: path.relative(process.cwd(), file.file) || file.file })));
  for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const patterns = runbooks.reduce((sum, prepared) => sum + prepared.patterns.length, 0);
  process.stdout.write(`${files.length} runbooks, ${patterns} patterns: ${errors} errors, ${warnings} warnings\n`);
  return errors > 0 ? 1 : 0;
}

/** `triage runbooks index [dir] [--check]`: writes dir/README.md from the frontmatter (or says it is stale). */
export async function indexRunbooksCommand(dir: string, options: { check?: boolean }): Promise<number> {
  const files = await loadDir(dir);
  const { runbooks, problems } = lintRunbooks(files);
  const broken = problems.filter((problem) => problem.severity === 'error' && !runbooks.some((prepared) => prepared.runbook.file === problem.file));
  if (broken.length > 0) {
    for (const problem of broken) process.stderr.write(`${formatProblem(problem)}\n`);
    throw new Error(`${broken.length} runbooks do not parse; fix them first (triage runbooks lint)`);
  }
  const target = path.join(dir, indexFileName);
  const wanted = renderRunbookIndex(runbooks.map((prepared) => prepared.runbook));
  const current = await fs.readFile(target, 'utf8').catch(() => '');
  if (options.check) {
    if (current === wanted) return 0;
    process.stderr.write(`${target} is out of date: run \`npx triage runbooks index ${dir}\`\n`);
    return 1;
  }
  if (current !== wanted) await fs.writeFile(target, wanted);
  process.stdout.write(`${current === wanted ? 'unchanged' : 'wrote'} ${target} (${runbooks.length} runbooks)\n`);
  return 0;
}
