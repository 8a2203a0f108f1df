import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pollIssues, processAlert } from '@triage/contracts';
import { testRedisUrl } from '@triage/testing';
import { parseGlitchTipWebhook } from '@triage/webhook';
import { readExample, startIngress, webhookExampleFiles, type IngressHarness } from './fixtures/ingress-harness';

async function queuedJobCount(harness: IngressHarness): Promise<number> {
  const counts = await harness.alerts.getJobCounts();
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

describe('POST /api/glitchtip-webhook: every contract example', () => {
  let harness: IngressHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each(webhookExampleFiles())('%s is queued as one process-alert job per issue or monitor', async (file) => {
    harness = await startIngress();
    const body = readExample(file);
    const parsed = parseGlitchTipWebhook(JSON.parse(body));
    if (!parsed.ok) throw new Error(parsed.reason);

    const response = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, body);

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ enqueued: parsed.signals.length, duplicates: 0 });
    const jobIds = response.body.jobs as string[];
    expect(jobIds).toHaveLength(parsed.signals.length);
    expect(await queuedJobCount(harness)).toBe(parsed.signals.length);
    const jobs = await Promise.all(jobIds.map((id) => harness!.alerts.getJob(id)));
    expect(jobs.map((job) => job?.name)).toEqual(jobIds.map(() => processAlert.name));
    expect(jobs.map((job) => job?.data)).toEqual(
      parsed.signals.map((signal) =>
        expect.objectContaining({ ...signal, source: 'webhook', receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
      ),
    );
    for (const job of jobs) expect(job?.id).toBe(processAlert.jobId!(job!.data));
  });
});

describe('POST /api/glitchtip-webhook', () => {
  let harness: IngressHarness;
  const generic = readExample('webhook_issue_alert_generic.json');
  beforeAll(async () => {
    harness = await startIngress();
  });
  afterAll(async () => {
    await harness.close();
  });
  afterEach(async () => {
    await harness.alerts.obliterate({ force: true });
  });

  it('takes the token in the path too, and a repeated body adds no job', async () => {
    const first = await harness.post(`/api/glitchtip-webhook/${harness.token}`, generic);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ enqueued: 3, duplicates: 0 });
    const firstTimestamps = (await Promise.all((first.body.jobs as string[]).map((id) => harness.alerts.getJob(id)))).map((job) => job?.timestamp);
    expect(firstTimestamps.every((timestamp) => typeof timestamp === 'number')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a re-added job would get a later timestamp

    const again = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, generic);
    expect(again.status).toBe(202);
    // Still durably queued (the same three jobs), and nothing new: the job ids absorb the repeat.
    expect(again.body).toEqual({ enqueued: 3, duplicates: 0, jobs: first.body.jobs });
    expect(await queuedJobCount(harness)).toBe(3);
    // The very same jobs: not removed and added again (their creation times are those of the first post).
    const after = await Promise.all((first.body.jobs as string[]).map((id) => harness.alerts.getJob(id)));
    expect(after.map((job) => job?.timestamp)).toEqual(firstTimestamps);
  });

  it('counts an issue repeated inside one body once', async () => {
    const body = JSON.parse(readExample('webhook_issue_alert_generic_single.json')) as { attachments: unknown[] };
    body.attachments = [body.attachments[0], body.attachments[0]];
    const response = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, JSON.stringify(body));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ enqueued: 1, duplicates: 1 });
    expect(response.body.jobs).toHaveLength(1);
    expect(await queuedJobCount(harness)).toBe(1);
  });

  it('accepts a JSON content type with a charset and the +json form', async () => {
    const withCharset = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, generic, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(withCharset.status).toBe(202);
    const plusJson = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, readExample('webhook_uptime_down_generic.json'), {
      'content-type': 'application/vnd.glitchtip+json',
    });
    expect(plusJson.status).toBe(202);
  });

  const big = JSON.stringify({ ...JSON.parse(generic), padding: 'x'.repeat(300 * 1024) });
  const rejections: Array<[string, () => string, string | Buffer, Record<string, string>, number, string | RegExp]> = [
    ['no token', () => '/api/glitchtip-webhook', generic, {}, 401, 'missing or wrong webhook token'],
    ['an empty token', () => '/api/glitchtip-webhook?token=', generic, {}, 401, 'missing or wrong webhook token'],
    ['a wrong query token', () => `/api/glitchtip-webhook?token=${harness.token}x`, generic, {}, 401, 'missing or wrong webhook token'],
    ['a wrong path token', () => `/api/glitchtip-webhook/${harness.token.slice(1)}`, generic, {}, 401, 'missing or wrong webhook token'],
    ['a repeated query token', () => `/api/glitchtip-webhook?token=${harness.token}&token=${harness.token}`, generic, {}, 401, 'missing or wrong webhook token'],
    ['malformed JSON', () => `/api/glitchtip-webhook?token=${harness.token}`, '{"alias": "GlitchTip",', {}, 400, /^malformed JSON: /],
    ['a JSON string', () => `/api/glitchtip-webhook?token=${harness.token}`, '"GlitchTip Alert"', {}, 400, /^malformed JSON: /],
    ['an empty body', () => `/api/glitchtip-webhook?token=${harness.token}`, '', {}, 400, /^not a GlitchTip alert: the body has no attachments/],
    [
      'a Slack message that is not a GlitchTip alert',
      () => `/api/glitchtip-webhook?token=${harness.token}`,
      JSON.stringify({ text: 'deploy finished' }),
      {},
      400,
      'not a GlitchTip alert: the body has no attachments (webhook), embeds (Discord) or cardsV2 (Google Chat)',
    ],
    [
      'a link without an issue id',
      () => `/api/glitchtip-webhook?token=${harness.token}`,
      JSON.stringify({ attachments: [{ title: 'x', title_link: 'https://gt.example.com/acme/settings' }] }),
      {},
      400,
      /names neither an issue/,
    ],
    ['a body over 256 kB', () => `/api/glitchtip-webhook?token=${harness.token}`, big, {}, 413, 'body larger than 256kb'],
    ['text/plain', () => `/api/glitchtip-webhook?token=${harness.token}`, generic, { 'content-type': 'text/plain' }, 415, /^Content-Type must be application\/json/],
    ['form encoding', () => `/api/glitchtip-webhook?token=${harness.token}`, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /^Content-Type/],
  ];

  it.each(rejections)('rejects %s and queues nothing', async (_name, pathAndQuery, body, headers, status, error) => {
    const response = await harness.post(pathAndQuery(), body, { 'content-type': 'application/json', ...headers });
    expect(response.status).toBe(status);
    expect(response.body.error).toEqual(typeof error === 'string' ? error : expect.stringMatching(error));
    expect(await queuedJobCount(harness)).toBe(0);
  });

  it('answers 404 for a GET', async () => {
    const response = await fetch(`${harness.url}/api/glitchtip-webhook?token=${harness.token}`);
    expect(response.status).toBe(404);
  });
});

describe('POST /api/glitchtip-webhook with DISABLE_WEBHOOK_HANDLER=true', () => {
  it('answers 503 so the alert is not silently dropped, and queues nothing', async () => {
    const harness = await startIngress({ env: { DISABLE_WEBHOOK_HANDLER: 'true' } });
    try {
      const response = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, readExample('webhook_issue_alert_generic.json'));
      expect(response).toEqual({ status: 503, body: { error: 'webhook handler disabled' } });
      expect(await queuedJobCount(harness)).toBe(0);
      const unauthorised = await harness.post('/api/glitchtip-webhook?token=wrong', readExample('webhook_issue_alert_generic.json'));
      expect(unauthorised.status).toBe(401);
    } finally {
      await harness.close();
    }
  });
});

describe('a body with more issues than attachments (issue 10 item 4)', () => {
  const api = { GLITCHTIP_BASE_URL: 'http://glitchtip.invalid', GLITCHTIP_API_TOKEN: 'b'.repeat(64) };

  it('asks for an immediate poll of the project: one per project and minute however many bodies, the listed issues named', async () => {
    const harness = await startIngress({ env: api });
    const reader = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const polls = new Queue(pollIssues.name, { connection: reader, prefix: harness.prefix });
    try {
      // "GlitchTip Alert (5 issues)" with 3 attachments.
      const body = readExample('webhook_issue_alert_generic.json');
      const first = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, body);
      const second = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, body);
      expect(first.status).toBe(202);
      expect(first.body.projectPoll).toEqual(expect.stringMatching(/^poll-project-backend-\d+$/));
      const jobs = await polls.getJobs(['waiting', 'prioritized', 'delayed']);
      // Two bodies in the same minute share the poll (a minute boundary between them would make two).
      if (second.body.projectPoll === first.body.projectPoll) expect(jobs).toHaveLength(1);
      expect(jobs[0]?.data).toEqual({
        lookbackMinutes: 15,
        requestedAt: expect.stringMatching(/^\d{4}-/),
        project: { name: 'Backend', issueId: '1042', listedIssueIds: ['1042', '1043', '1047'], statedIssueCount: 5 },
      });
    } finally {
      await polls.obliterate({ force: true });
      await polls.close();
      reader.disconnect();
      await harness.close();
    }
  });

  it('asks for no poll when the body lists every issue, or without the GlitchTip API', async () => {
    const withApi = await startIngress({ env: api });
    const webhookOnly = await startIngress();
    try {
      const single = await withApi.post(`/api/glitchtip-webhook?token=${withApi.token}`, readExample('webhook_issue_alert_generic_single.json'));
      expect(single.status).toBe(202);
      expect(single.body.projectPoll).toBeUndefined();
      const noApi = await webhookOnly.post(`/api/glitchtip-webhook?token=${webhookOnly.token}`, readExample('webhook_issue_alert_generic.json'));
      expect(noApi.status).toBe(202);
      expect(noApi.body.projectPoll).toBeUndefined();
    } finally {
      await withApi.close();
      await webhookOnly.close();
    }
  });
});

describe('"+N more" in webhook-only mode (issue 10 item 4)', () => {
  it('the body\'s first issue carries how many issues the body left out, and where GlitchTip lists them', async () => {
    const harness = await startIngress();
    try {
      const response = await harness.post(`/api/glitchtip-webhook?token=${harness.token}`, readExample('webhook_issue_alert_generic.json'));
      expect(response.status).toBe(202);
      const jobs = await Promise.all((response.body.jobs as string[]).map((id) => harness.alerts.getJob(id)));
      expect(jobs.map((job) => (job?.data as { moreIssues?: unknown }).moreIssues)).toEqual([
        { count: 2, url: 'https://glitchtip.example.com/acme/issues' },
        undefined,
        undefined,
      ]);
    } finally {
      await harness.close();
    }
  });
});
