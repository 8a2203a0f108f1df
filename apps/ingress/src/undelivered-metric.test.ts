import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { undeliveredAlertsKey } from '@triage/contracts';
import { startIngress, type IngressHarness } from './fixtures/ingress-harness';

describe('GET /metrics: undelivered alerts', () => {
  let harness: IngressHarness;
  beforeAll(async () => {
    harness = await startIngress();
  });
  afterAll(async () => {
    await harness.close();
  });

  const metrics = async () => (await fetch(`${harness.url}/metrics`)).text();

  it('reports the count the delivery reconciler left in Redis (0 before it first counted)', async () => {
    expect(await metrics()).toMatch(/^triage_alerts_undelivered 0$/m);
    await harness.redis.set(undeliveredAlertsKey(harness.prefix), '3');
    expect(await metrics()).toMatch(/^triage_alerts_undelivered 3$/m);
    await harness.redis.set(undeliveredAlertsKey(harness.prefix), '0');
    expect(await metrics()).toMatch(/^triage_alerts_undelivered 0$/m);
  });
});
