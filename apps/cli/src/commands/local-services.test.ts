import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import postgres from 'postgres';
import { startEmbeddedPostgres, type RunningService } from '@triage/embedded';
import { repoRoot } from '@triage/testing';

const asRoot = process.getuid?.() === 0;

// The embedded Postgres refuses root and switches to the postgres user only when run as root (CI and `npm start`
// under root); elsewhere this machine's user runs it directly, which the other embedded tests cover.
(asRoot ? describe : describe.skip)('a one-off command beside a running `triage start`', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-one-off-'));
  fs.chmodSync(dataDir, 0o755);
  let server: RunningService;

  beforeAll(async () => {
    // What `triage start` leaves running under DATA_DIR.
    server = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres'), fast: true });
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('`triage migrate` uses the running embedded Postgres and leaves it running', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', NODE_OPTIONS: '', LOG_LEVEL: 'info' };
    const result = await execa('node', ['bin/triage.js', 'migrate'], { cwd: repoRoot, env, reject: false, all: true });
    expect(result.exitCode).toBe(0);
    expect(result.all).toContain('using the embedded Postgres that is already running');
    // The server `triage start` owns still answers: the one-off command neither stopped nor replaced it.
    const sql = postgres((server as RunningService & { url: string }).url, { max: 1, onnotice: () => undefined });
    try {
      expect(await sql`select count(*)::int as tables from information_schema.tables where table_name = 'alerts'`).toEqual([{ tables: 1 }]);
    } finally {
      await sql.end();
    }
  }, 90_000);
});
