import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CrashFrame } from './frames';
import { loadSnapshot, mapFrames } from './map-frames';
import { candidatePaths, FileIndex, matchBySuffix } from './path-map';
import { createTestRepo, lines, type TestRepo } from '@triage/testing';

const repoFiles = [
  'src/db/pool.ts',
  'src/routes/users.ts',
  'src/index.ts',
  'app/views.py',
  'app/db.py',
  'packages/api/src/handlers/create.ts',
  'packages/web/src/handlers/create.ts',
  'lib/util.js',
  'etc/passwd.txt',
];

function mapOne(raw: string, strip: string[] = []): string | string[] | { ignored: string } {
  const candidates = candidatePaths(raw, strip);
  if ('ignored' in candidates) return candidates;
  const match = matchBySuffix(candidates.candidates, new FileIndex(repoFiles));
  if (!match) return 'nothing';
  return match.files.length === 1 ? match.files[0]! : match.files;
}

describe('frame path -> repository file (table)', () => {
  it.each<[string, string, ReturnType<typeof mapOne>, string[]]>([
    ['relative path as the SDK sent it', 'app/views.py', 'app/views.py', []],
    ['Docker /app prefix', '/app/src/db/pool.ts', 'src/db/pool.ts', []],
    ['/usr/src/app prefix', '/usr/src/app/app/db.py', 'app/db.py', []],
    ['/opt/<name> prefix', '/opt/api/src/index.ts', 'src/index.ts', []],
    ['/home/<user>/<dir> prefix', '/home/deploy/api/src/routes/users.ts', 'src/routes/users.ts', []],
    ['configured prefix', '/srv/releases/42/src/index.ts', 'src/index.ts', ['/srv/releases/42/']],
    ['file:// URL', 'file:///app/src/index.ts', 'src/index.ts', []],
    ['webpack:/// path', 'webpack:///./src/routes/users.ts', 'src/routes/users.ts', []],
    ['webpack://<name>/ path', 'webpack://api/src/routes/users.ts', 'src/routes/users.ts', []],
    ['app:/// path', 'app:///src/index.ts', 'src/index.ts', []],
    ['dist/*.js to src/*.ts', '/app/dist/db/pool.js', 'src/db/pool.ts', []],
    ['build/*.mjs to src/*.ts', '/app/build/routes/users.mjs', 'src/routes/users.ts', []],
    ['a .js that exists stays', '/app/lib/util.js', 'lib/util.js', []],
    ['Windows separators and drive', 'C:\\app\\src\\db\\pool.ts', 'src/db/pool.ts', []],
    ['longest suffix breaks a monorepo tie', '/app/packages/api/src/handlers/create.ts', 'packages/api/src/handlers/create.ts', []],
    ['a real tie is left for the function name', '/x/src/handlers/create.ts', ['packages/api/src/handlers/create.ts', 'packages/web/src/handlers/create.ts'], []],
    ['node_modules is library code', '/app/node_modules/express/lib/router.js', { ignored: 'library or runtime code' }, []],
    ['site-packages is library code', '/usr/lib/python3/site-packages/django/db.py', { ignored: 'library or runtime code' }, []],
    ['node: internals', 'node:internal/process/task_queues', { ignored: 'library or runtime code' }, []],
    ['traversal maps to nothing', '../../etc/passwd', { ignored: 'path leaves its directory (..)' }, []],
    ['traversal in the middle maps to nothing', '/app/src/../../../etc/passwd.txt', { ignored: 'path leaves its directory (..)' }, []],
    ['unknown file maps to nothing', '/app/src/nowhere.ts', 'nothing', []],
    ['a newline in the name is refused', 'src/index.ts\n$(rm -rf /)', { ignored: 'not a plausible file name' }, []],
    ['empty path', '', { ignored: 'no file name in the frame' }, []],
  ])('%s: %s', (_label, raw, expected, strip) => {
    expect(mapOne(raw, strip)).toEqual(expected);
  });
});

describe('mapping frames in a real repository', () => {
  let repo: TestRepo;
  let outside: string;

  beforeAll(async () => {
    repo = await createTestRepo('map');
    outside = fs.mkdtempSync(path.join(path.dirname(repo.root), 'triage-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.ts'), 'export const secret = "do not read";\n');
    await repo.commit(
      {
        'packages/api/src/handlers/create.ts': lines(30, { 12: 'export function createOrder() { throw new Error("x"); }' }),
        'packages/web/src/handlers/create.ts': lines(30, { 12: 'export function renderForm() {}' }),
        'src/app.ts': lines(10),
      },
      'initial',
      '2026-01-01T00:00:00Z',
    );
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(repo.root, 'src/secret.ts'));
    fs.symlinkSync(outside, path.join(repo.root, 'linked'));
    await repo.commit({}, 'symlinks out of the repository', '2026-01-02T00:00:00Z');
  });

  afterAll(() => {
    repo.remove();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const frame = (filePath: string, fn: string | null, lineNo: number): CrashFrame => ({ path: filePath, absPath: filePath, function: fn, module: null, lineNo, colNo: null, inApp: true, contextLine: null });

  it('breaks a suffix tie by the function name near the line, and shows code context at the revision', async () => {
    const snapshot = await loadSnapshot(repo.root, 'HEAD');
    const [mapped] = await mapFrames(snapshot, [frame('/app/src/handlers/create.ts', 'createOrder', 12)], []);
    expect(mapped).toMatchObject({ file: 'packages/api/src/handlers/create.ts', line: 12, via: 'suffix' });
    expect(mapped!.note).toContain('createOrder');
    expect(mapped!.context.find((row) => row.line === 12)?.text).toContain('createOrder');
  });

  it('follows a committed source map from built JavaScript to the TypeScript line', async () => {
    const map = { version: 3, file: 'app.js', sources: ['../src/app.ts'], names: [], mappings: 'AASA;AACA;AACA' };
    await repo.commit({ 'src/app.ts': lines(20, { 11: 'throw new Error("from ts")' }), 'dist/app.js': 'a();\nb();\nc();\n', 'dist/app.js.map': JSON.stringify(map) }, 'build with source maps', '2026-01-03T00:00:00Z');
    const snapshot = await loadSnapshot(repo.root, 'HEAD');
    const [mapped] = await mapFrames(snapshot, [{ ...frame('/app/dist/app.js', 'b', 2), colNo: 1 }], []);
    expect(mapped).toMatchObject({ file: 'src/app.ts', line: 11, via: 'source-map' });
    expect(mapped!.context.find((row) => row.line === 11)?.text).toBe('throw new Error("from ts")');
  });

  it('never maps to a symlink, so nothing outside the repository is read', async () => {
    const snapshot = await loadSnapshot(repo.root, 'HEAD');
    const mapped = await mapFrames(snapshot, [frame('/app/src/secret.ts', 'x', 1), frame('/app/linked/secret.ts', 'x', 1)], []);
    expect(mapped.map((item) => item.file)).toEqual([null, null]);
    expect(JSON.stringify(mapped)).not.toContain('do not read');
  });
});
