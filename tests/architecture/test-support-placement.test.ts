import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@triage/testing';

/**
 * Test harnesses and corpora live out of production source (issue 10, "a home for the alert"): in libs/testing
 * (type:testing) or tests/, not beside the code a worker runs. These predate the rule, belong to other concerns and are
 * still to move; the list may only shrink.
 */
const notYetMoved = new Set([
  'apps/ingress/src/fixtures/ingress-harness.ts',
  'libs/jobs/src/send-alert/fixtures/send-alert-harness.ts',
  'libs/worker-runtime/src/fixtures/fixture-jobs.ts',
  'libs/worker-runtime/src/fixtures/fixture-worker.ts',
]);

async function productionSourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ['apps', 'libs']) {
    const entries = await readdir(path.join(repoRoot, root), { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.parentPath.includes('node_modules')) continue;
      const file = path.relative(repoRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (!file.startsWith('libs/testing/')) files.push(file);
    }
  }
  return files;
}

/** Test support: a file in a fixtures folder, or one that imports the test support lib. */
function isTestSupport(file: string, source: string): boolean {
  return file.includes('/fixtures/') || /from\s+['"]@triage\/testing(\/[\w-]+)?['"]/.test(source);
}

describe('test support placement', () => {
  it('no harness or fixture sits in production source (apps/*/src, libs/*/src) beyond the list still to move', async () => {
    const files = await productionSourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const misplaced: string[] = [];
    for (const file of files) {
      if (isTestSupport(file, await readFile(path.join(repoRoot, file), 'utf8')) && !notYetMoved.has(file)) misplaced.push(file);
    }
    expect(misplaced).toEqual([]);
  });

  it('the list still to move names only files that are still there', async () => {
    const files = new Set(await productionSourceFiles());
    expect([...notYetMoved].filter((file) => !files.has(file))).toEqual([]);
  });
});
