import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  clearPrefix,
  createGlitchTipFake,
  createTestDatabase,
  startTsProcess,
  testRedisUrl,
  uniquePrefix,
  type GlitchTipFake,
  type TestDatabase,
} from '@triage/testing';

const apiToken = 'f'.repeat(64);

describe('worker process start-up', () => {
  const prefix = uniquePrefix('wstart');
  let database: TestDatabase;
  let glitchtip: GlitchTipFake;

  beforeAll(async () => {
    database = await createTestDatabase();
    glitchtip = createGlitchTipFake({ token: apiToken, scopes: ['event:read', 'org:read'] });
    await glitchtip.start();
  });

  afterAll(async () => {
    await glitchtip.stop();
    await database.drop();
    await clearPrefix(testRedisUrl(), prefix);
  });

  const baseEnv = () => ({ REDIS_URL: testRedisUrl(), DATABASE_URL: database.url, QUEUE_PREFIX: prefix });

  it('names the scopes its GlitchTip token lacks, and keeps working', async () => {
    const worker = startTsProcess('apps/worker/src/main.ts', [], { ...baseEnv(), GLITCHTIP_BASE_URL: glitchtip.url, GLITCHTIP_API_TOKEN: apiToken });
    try {
      await worker.waitForOutput('GlitchTip token is not usable as configured');
      await worker.waitForOutput('"msg":"worker started"');
      const line = worker.output().split('\n').find((entry) => entry.includes('GlitchTip token is not usable'))!;
      expect(JSON.parse(line).missing).toEqual(['event:write or event:admin', 'project:read']);
      expect(worker.output()).toContain('"msg":"worker started"');
      expect(worker.output()).not.toContain(apiToken);
    } finally {
      worker.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    }
  });

  it('refuses to start for a queue that does not exist, naming it', async () => {
    const worker = startTsProcess('apps/worker/src/main.ts', ['--queues', 'process-alert,no-such-queue'], baseEnv());
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('queue "no-such-queue" does not exist');
  });

  // Every job of this build now has a handler (investigate was the last without one), so a queue with a contract but no
  // handler cannot be named here; libs/worker-runtime/src/worker-manager.test.ts checks that refusal.

  it('says what is missing when started alone without REDIS_URL', async () => {
    const worker = startTsProcess('apps/worker/src/main.ts', [], { REDIS_URL: '', DATABASE_URL: database.url });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('REDIS_URL: is required here');
  });
});
