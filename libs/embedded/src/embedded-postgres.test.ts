import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { blockingAncestor, startEmbeddedPostgres } from './embedded-postgres';

const asRoot = process.getuid?.() === 0;

describe('blockingAncestor', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-ancestors-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the first directory the user cannot pass through, and nothing when all are searchable', () => {
    fs.chmodSync(root, 0o755);
    const open = path.join(root, 'open');
    const closed = path.join(root, 'closed');
    fs.mkdirSync(open, { mode: 0o755 });
    fs.mkdirSync(closed, { mode: 0o700 });
    fs.chmodSync(closed, 0o700);
    const nobody = 65534;
    expect(blockingAncestor(path.join(open, 'data', 'postgres'), nobody, nobody)).toBeUndefined();
    expect(blockingAncestor(path.join(closed, 'data', 'postgres'), nobody, nobody)).toBe(closed);
  });
});

(asRoot ? describe : describe.skip)('the embedded Postgres under root (issue 10 item 14)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-embedded-pg-'));
  fs.chmodSync(root, 0o755);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps its data under DATA_DIR, owned by the postgres user, with the password file mode 0600', async () => {
    const dataDir = path.join(root, 'data', 'postgres');
    const service = await startEmbeddedPostgres({ dir: dataDir, fast: true });
    try {
      expect(service.dataDir).toBe(dataDir);
      const postgresUid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      expect(fs.statSync(dataDir).uid).toBe(postgresUid);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(root, 'data', 'postgres.password')).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(path.join(root, 'data')).filter((name) => name.startsWith('.pwfile'))).toEqual([]);
      expect(service.address).not.toContain('@');
      const sql = postgres(service.url, { max: 1, onnotice: () => undefined });
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      await sql.end();
    } finally {
      await service.stop();
    }
  });

  it('refuses, naming the directory and what to do, when a parent shuts the postgres user out', async () => {
    const home = path.join(root, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    fs.chmodSync(home, 0o700);
    await expect(startEmbeddedPostgres({ dir: path.join(home, 'triage', 'postgres'), fast: true })).rejects.toThrow(
      `${home} is not searchable by it. Set DATA_DIR to a directory outside ${home}`,
    );
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
