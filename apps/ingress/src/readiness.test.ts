import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { investigate } from '@triage/contracts';
import { JobStats } from '@triage/health';
import { startIngress, type IngressHarness } from './fixtures/ingress-harness';

/** A stuck queue (jobs waiting, nothing completed for 10 minutes) fails /readyz; job counters from Redis reach /metrics. */
describe('/readyz and /metrics with the workers\' view', () => {
  let harness: IngressHarness;
  let queue: Queue;

  beforeAll(async () => {
    harness = await startIngress();
    queue = new Queue(investigate.name, { connection: harness.redis, prefix: harness.prefix });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await harness.close();
  });

  it('a queue with a job waiting 20 minutes and no completion answers 503 naming it; a completion clears it', async () => {
    const fresh = await queue.add(investigate.name, { issueId: '1' });
    const ready = await fetch(`${harness.url}/readyz`);
    expect(ready.status).toBe(200);
    await fresh.remove();

    await queue.add(investigate.name, { issueId: '2' }, { timestamp: Date.now() - 20 * 60_000 });
    const stuck = await fetch(`${harness.url}/readyz`);
    expect(stuck.status).toBe(503);
    const body = (await stuck.json()) as { status: string; down: string[]; stuckQueues: string[] };
    expect(body.status).toBe('unavailable');
    expect(body.down).toEqual(['queues']);
    // Nothing consumes the queue in this test: the reason says so (BullMQ names its worker connections).
    expect(body.stuckQueues).toEqual(['queue investigate: 1 waiting, oldest added 20 min ago, last job started or finished never, no worker consumes it']);

    await new JobStats(harness.redis, harness.prefix).record(investigate.name, 'completed', 120);
    const recovered = await fetch(`${harness.url}/readyz`);
    expect(recovered.status).toBe(200);
  });

  it('/metrics carries the workers\' job counts and duration histogram per job type', async () => {
    const stats = new JobStats(harness.redis, harness.prefix);
    await stats.record('send-alert', 'completed', 40);
    await stats.record('send-alert', 'completed', 300);
    await stats.record('send-alert', 'failed', 70_000);
    const text = await (await fetch(`${harness.url}/metrics`)).text();
    expect(text).toContain('triage_jobs_total{queue="send-alert",outcome="completed"} 2');
    expect(text).toContain('triage_jobs_total{queue="send-alert",outcome="failed"} 1');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="send-alert",le="0.05"} 1');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="send-alert",le="0.5"} 2');
    expect(text).toContain('triage_job_duration_seconds_bucket{queue="send-alert",le="+Inf"} 3');
    expect(text).toContain('triage_job_duration_seconds_count{queue="send-alert"} 3');
    expect(text).toMatch(/triage_job_duration_seconds_sum\{queue="send-alert"\} 70\.34\n/);
    expect(text).toMatch(/triage_job_last_completed_timestamp_seconds\{queue="send-alert"\} \d{10}\.?\d*\n/);
  });
});
