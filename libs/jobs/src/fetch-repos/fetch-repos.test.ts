import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { execa } from 'execa';
import { loadConfig } from '@triage/config';
import { fetchRepos, queueNames } from '@triage/contracts';
import { connectDatabase, type DatabaseHandle } from '@triage/db';
import { createLogger } from '@triage/logger';
import { Producer, createProducerConnection, createWorkerConnection } from '@triage/queue';
import { ChatPacer } from '@triage/telegram';
import { clearPrefix, createTestDatabase, createTestRepo, lines, testRedisUrl, uniquePrefix, waitFor, type TestDatabase, type TestRepo } from '@triage/testing';
import { WorkerManager } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';
import { fetchReposHandler } from './fetch-repos.handler';

// fetch-repos in a worker against real git repositories: an upstream, a clone of it, and a checkout without a remote.
describe('fetch-repos', () => {
  const logger = createLogger({ name: 'fetch-repos-test', level: 'silent', pretty: false });
  const redis = createWorkerConnection(testRedisUrl());
  const producerConnection = createProducerConnection(testRedisUrl());
  const prefixes: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let upstream: TestRepo;
  let clone: string;
  const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd, env: { GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } })).stdout;

  async function runJob(env: Record<string, string>, payload: { project?: string } = {}): Promise<Record<string, unknown>> {
    const prefix = uniquePrefix('fetch');
    prefixes.push(prefix);
    const config = loadConfig({ QUEUE_PREFIX: prefix, ...env });
    const producer = new Producer({ connection: producerConnection, prefix });
    const deps: WorkerDeps = { config, db: handle.db, redis, producer, glitchtip: undefined, telegram: undefined, pacer: new ChatPacer({ redis, prefix }), routes: [], handledQueues: new Set([fetchRepos.name]) };
    const manager = new WorkerManager<WorkerDeps>({ redisUrl: testRedisUrl(), prefix, logger, deps, defaultConcurrency: 1 });
    await manager.start([fetchReposHandler], [fetchRepos.name], queueNames);
    const queue = new Queue(fetchRepos.name, { connection: producerConnection, prefix });
    closers.push(async () => {
      await manager.close(10_000);
      await queue.close();
      await producer.close();
    });
    await producer.enqueue(fetchRepos, payload, { jobId: 'fetch-now' });
    const job = await waitFor(async () => {
      const found = await queue.getJob('fetch-now');
      return found?.finishedOn ? found : undefined;
    }, { what: 'the fetch-repos job', timeoutMs: 30_000 });
    return job.returnvalue as Record<string, unknown>;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = connectDatabase(database.url);
    upstream = await createTestRepo('upstream');
    await upstream.commit({ 'src/app.ts': lines(10) }, 'initial', '2026-03-01T00:00:00Z');
    clone = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'triage-clone-')));
    await git(os.tmpdir(), 'clone', '--quiet', upstream.root, clone);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    for (const prefix of prefixes) await clearPrefix(testRedisUrl(), prefix);
    producerConnection.disconnect();
    redis.disconnect();
    await handle.close();
    await database.drop();
    upstream?.remove();
    fs.rmSync(clone, { recursive: true, force: true });
  });

  it('fetches new upstream history without touching the working tree, and writes a commit-graph', async () => {
    const head = await git(clone, 'rev-parse', 'HEAD');
    const branch = await git(clone, 'rev-parse', '--abbrev-ref', 'HEAD');
    const later = await upstream.commit({ 'src/app.ts': lines(10, { 3: 'changed upstream' }) }, 'later', '2026-03-02T00:00:00Z');
    fs.writeFileSync(path.join(clone, 'local-note.txt'), 'uncommitted\n');

    expect(await runJob({ REPO_PATH: clone })).toEqual({ fetched: 1, failed: [] });
    expect(await git(clone, 'rev-parse', `origin/${branch}`)).toBe(later);
    expect(await git(clone, 'rev-parse', 'HEAD')).toBe(head);
    expect(fs.readFileSync(path.join(clone, 'src/app.ts'), 'utf8')).toBe(lines(10));
    expect(fs.readFileSync(path.join(clone, 'local-note.txt'), 'utf8')).toBe('uncommitted\n');
    expect(fs.existsSync(path.join(clone, '.git/objects/info/commit-graph')) || fs.existsSync(path.join(clone, '.git/objects/info/commit-graphs'))).toBe(true);
  });

  it('reports a checkout without a remote and a missing path as failures, without failing the job', async () => {
    const missing = `${clone}-missing`;
    expect(await runJob({ REPO_PATH: upstream.root })).toEqual({ fetched: 0, failed: ['*: no git remote to fetch from'] });
    const gone = await runJob({ REPO_PATH: missing });
    expect(gone).toMatchObject({ fetched: 0 });
    expect(gone.failed).toEqual([expect.stringContaining(`${missing} does not exist`)]);
  });
});
