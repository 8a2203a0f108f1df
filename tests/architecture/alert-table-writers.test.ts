import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@triage/testing';

/** The alert domain's tables: libs/alerts alone writes them (issue 10, "a home for the alert"). */
const alertTables = { alerts: 'alerts', issueStates: 'issue_states', alertMessages: 'alert_messages' } as const;
const owner = 'libs/alerts/';

/** Test code may set up rows any way it likes; production code may not. */
function isProductionSource(file: string): boolean {
  return (
    file.endsWith('.ts') &&
    !file.endsWith('.d.ts') &&
    !file.endsWith('.test.ts') &&
    !file.includes('/fixtures/') &&
    !file.startsWith('libs/testing/') &&
    !file.startsWith('tests/') &&
    !file.startsWith('bench/')
  );
}

/** The names a file binds the alert tables to when it imports them from @triage/db (aliases included). */
function localTableNames(source: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const match of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]@triage\/db['"]/g)) {
    for (const binding of match[1]!.split(',')) {
      const [imported, local] = binding.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
      const table = alertTables[imported as keyof typeof alertTables];
      if (table) names.set(local ?? imported!, table);
    }
  }
  for (const match of source.matchAll(/import\s*\*\s*as\s+(\w+)\s+from\s*['"]@triage\/db['"]/g)) {
    for (const [exported, table] of Object.entries(alertTables)) names.set(`${match[1]}.${exported}`, table);
  }
  return names;
}

/** Each write of an alert table in one source file, as "<line>: <table> <verb>": drizzle builders and raw SQL. */
function alertTableWrites(source: string): string[] {
  const writes: string[] = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  for (const [local, table] of localTableNames(source)) {
    const escaped = local.replace('.', String.raw`\.`);
    for (const match of source.matchAll(new RegExp(String.raw`\.(insert|update|delete)\(\s*${escaped}\s*\)`, 'g'))) {
      writes.push(`${lineOf(match.index)}: ${table} ${match[1]}`);
    }
  }
  const sqlWrite = new RegExp(String.raw`\b(insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+"?(${Object.values(alertTables).join('|')})"?\b`, 'gi');
  for (const match of source.matchAll(sqlWrite)) writes.push(`${lineOf(match.index)}: ${match[2]} ${match[1]!.toLowerCase().split(/\s+/)[0]} (SQL)`);
  return writes;
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, directory), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('the alert tables have one writer', () => {
  it.each([
    ['a drizzle update', "import { alerts } from '@triage/db';\nawait db.update(alerts).set({ runbook });", ['2: alerts update']],
    ['an aliased insert in a transaction', "import { alertMessages as messages, type Database } from '@triage/db';\nawait tx\n  .insert( messages )", ['3: alert_messages insert']],
    ['a namespace import', "import * as schema from '@triage/db';\nawait db.delete(schema.issueStates);", ['2: issue_states delete']],
    ['raw SQL', 'await db.execute(sql`update alerts set outcome = null`);\nawait db.execute(sql`INSERT INTO "issue_states" values (1)`);', ['1: alerts update (SQL)', '2: issue_states insert (SQL)']],
    ['reads only', "import { alerts, alertMessages } from '@triage/db';\nawait db.select().from(alerts).innerJoin(alertMessages, on);", []],
    ['another table of the same prefix', "import { alertsArchive } from '@triage/db';\nawait db.update(alertsArchive);\nsql`update alerts_archive set x = 1`", []],
  ] as const)('finds %s', (_name, source, expected) => {
    expect(alertTableWrites(source)).toEqual(expected);
  });

  it('no module outside libs/alerts writes alerts, issue_states or alert_messages', async () => {
    const files = [...(await sourceFiles('libs')), ...(await sourceFiles('apps'))].filter(isProductionSource);
    expect(files.length).toBeGreaterThan(100);
    const writers: string[] = [];
    for (const file of files) {
      if (file.startsWith(owner)) continue;
      for (const write of alertTableWrites(await readFile(path.join(repoRoot, file), 'utf8'))) writers.push(`${file}:${write}`);
    }
    expect(writers).toEqual([]);
  });

  it('the check sees the owner’s own writes (so a scan that found nothing is not blind)', async () => {
    const source = await readFile(path.join(repoRoot, owner, 'src/alert-repository.ts'), 'utf8');
    expect(alertTableWrites(source).length).toBeGreaterThan(0);
  });
});
