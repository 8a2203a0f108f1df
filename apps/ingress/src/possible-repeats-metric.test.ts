import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliveryCountersKey } from '@triage/contracts';
import { startIngress, type IngressHarness } from './fixtures/ingress-harness';

describe('GET /metrics: messages sent again after an unknown outcome', () => {
  let harness: IngressHarness;
  beforeAll(async () => {
    harness = await startIngress();
  });
  afterAll(async () => {
    await harness.close();
  });

  const metrics = async () => (await fetch(`${harness.url}/metrics`)).text();

  it('exports the counters the workers keep in Redis, 0 before any', async () => {
    expect(await metrics()).toMatch(/^triage_telegram_possible_repeats_total\{kind="alert"\} 0$/m);
    await harness.redis.hincrby(deliveryCountersKey(harness.prefix), 'alert', 2);
    await harness.redis.hincrby(deliveryCountersKey(harness.prefix), 'digest', 1);
    const text = await metrics();
    expect(text).toMatch(/^# TYPE triage_telegram_possible_repeats_total counter$/m);
    expect(text).toMatch(/^triage_telegram_possible_repeats_total\{kind="alert"\} 2$/m);
    expect(text).toMatch(/^triage_telegram_possible_repeats_total\{kind="digest"\} 1$/m);
  });
});
