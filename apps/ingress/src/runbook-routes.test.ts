import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { connectDatabase, runbookClicks, type DatabaseHandle } from '@triage/db';
import { createLogger } from '@triage/logger';
import { clicksByRunbook, RunbookStore } from '@triage/runbooks';
import { createTestDatabase, repoRoot, waitFor, type TestDatabase } from '@triage/testing';
import { mountRunbookRoutes } from './runbook-routes';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-runbook-routes-'));
let database: TestDatabase;
let handle: DatabaseHandle;
const servers: Server[] = [];
const reported: string[] = [];

async function serve(options: { runbooksBaseUrl?: string; withDb?: boolean } = {}): Promise<string> {
  const app = express();
  const store = new RunbookStore({ dir, checkEveryMs: 100, onProblems: (problems) => reported.push(...problems.map((problem) => problem.file)) });
  mountRunbookRoutes(app, { store, db: options.withDb === false ? undefined : handle.db, runbooksBaseUrl: options.runbooksBaseUrl, logger: createLogger({ name: 'test', level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

beforeAll(async () => {
  for (const file of fs.readdirSync(path.join(repoRoot, 'runbooks'))) fs.copyFileSync(path.join(repoRoot, 'runbooks', file), path.join(dir, file));
  fs.writeFileSync(
    path.join(dir, 'hostile.md'),
    "---\npatterns: ['hostile']\n---\n# Hostile <b>title</b>\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) [ok](https://example.com/x)\n",
  );
  database = await createTestDatabase();
  handle = connectDatabase(database.url, { max: 2 });
});

afterAll(async () => {
  for (const server of servers) server.close();
  await handle.close();
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runbook pages', () => {
  it('serves a runbook as HTML under a strict content policy', async () => {
    const base = await serve();
    const response = await fetch(`${base}/runbooks/redis-connection-refused`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<title>Redis connection refused or lost · runbook</title>');
    expect(html).toMatch(/<h2[^>]*>Diagnosis<\/h2>/);
    const list = await (await fetch(`${base}/runbooks`)).text();
    expect(list).toContain('<a href="/runbooks/database-pool-exhausted">Database connection timeout or pool exhausted</a>');
  });

  it('shows raw HTML in a runbook as text and neutralises javascript: links', async () => {
    const html = await (await fetch(`${await serve()}/runbooks/hostile`)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Hostile &lt;b&gt;title&lt;/b&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.com/x">ok</a>');
  });

  it.each(['..%2F..%2Fetc%2Fpasswd', '..', 'README', 'readme', 'nope', '%2Fetc%2Fpasswd', 'redis-connection-refused.md'])('404 for %s, never a file outside the set', async (name) => {
    const base = await serve();
    expect((await fetch(`${base}/runbooks/${name}`)).status).toBe(404);
    expect((await fetch(`${base}/r/${name}`, { redirect: 'manual' })).status).toBe(404);
  });
});

describe('the click-counting redirect', () => {
  it('counts a person\'s click per runbook and issue, then redirects to the page', async () => {
    const base = await serve();
    await handle.db.delete(runbookClicks);
    const response = await fetch(`${base}/r/upstream-rate-limited?issue=1042`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/runbooks/upstream-rate-limited');
    await fetch(`${base}/r/upstream-rate-limited?issue=1042`, { redirect: 'manual' });
    await fetch(`${base}/r/upstream-rate-limited?issue=not-a-number`, { redirect: 'manual' });
    // Link previews are not readers.
    await fetch(`${base}/r/upstream-rate-limited?issue=1042`, { redirect: 'manual', headers: { 'user-agent': 'TelegramBot (like TwitterBot)' } });
    await fetch(`${base}/r/upstream-rate-limited?issue=1042`, { method: 'HEAD', redirect: 'manual' });
    const rows = await handle.db.select({ issueId: runbookClicks.issueId, clicks: runbookClicks.clicks }).from(runbookClicks);
    expect(rows.sort((a, b) => a.issueId.localeCompare(b.issueId))).toEqual([
      { issueId: '', clicks: 1 },
      { issueId: '1042', clicks: 2 },
    ]);
    expect(await clicksByRunbook(handle.db)).toEqual([{ runbook: 'upstream-rate-limited', clicks: 3 }]);
  });

  it('redirects to RUNBOOKS_BASE_URL when set ({name} replaced, else appended)', async () => {
    const appended = await serve({ runbooksBaseUrl: 'https://wiki.example.com/ops/runbooks' });
    expect((await fetch(`${appended}/r/database-pool-exhausted`, { redirect: 'manual' })).headers.get('location')).toBe('https://wiki.example.com/ops/runbooks/database-pool-exhausted');
    const template = await serve({ runbooksBaseUrl: 'https://git.example.com/ops/-/blob/main/runbooks/{name}.md' });
    expect((await fetch(`${template}/r/database-pool-exhausted`, { redirect: 'manual' })).headers.get('location')).toBe('https://git.example.com/ops/-/blob/main/runbooks/database-pool-exhausted.md');
  });

  it('still redirects without a database', async () => {
    const response = await fetch(`${await serve({ withDb: false })}/r/database-pool-exhausted?issue=1`, { redirect: 'manual' });
    expect(response.status).toBe(302);
  });
});

describe('hot reload', () => {
  it('serves an edited, added and removed runbook without a restart', async () => {
    const base = await serve();
    const file = path.join(dir, 'disk-full.md');
    fs.writeFileSync(file, "---\npatterns: ['ENOSPC']\n---\n# Disk full\n");
    await waitFor(async () => (await fetch(`${base}/runbooks/disk-full`)).status === 200, { what: 'the new runbook' });
    fs.writeFileSync(file, "---\npatterns: ['ENOSPC']\n---\n# Disk full, edited\n");
    await waitFor(async () => (await (await fetch(`${base}/runbooks/disk-full`)).text()).includes('Disk full, edited'), { what: 'the edit' });
    // A broken edit keeps the last good version.
    reported.length = 0;
    fs.writeFileSync(file, '---\npatterns: [\n---\n# Broken\n');
    await waitFor(async () => (await fetch(`${base}/runbooks/disk-full`)) && reported.includes(file), { what: 'the broken edit to be read' });
    expect(await (await fetch(`${base}/runbooks/disk-full`)).text()).toContain('Disk full, edited');
    fs.rmSync(file);
    await waitFor(async () => (await fetch(`${base}/runbooks/disk-full`)).status === 404, { what: 'the removal' });
  });
});
