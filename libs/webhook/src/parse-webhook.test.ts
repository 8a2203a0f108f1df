import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { glitchtipContractDir } from '@triage/testing';
import { alertSignalSchema, type AlertSignal } from './alert-signal';
import { parseGlitchTipWebhook, type WebhookFormat } from './parse-webhook';

const contractDir = glitchtipContractDir;

function example(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(contractDir, name), 'utf8')) as Record<string, unknown>;
}

const base = 'https://glitchtip.example.com/acme';

function issue(overrides: Partial<Extract<AlertSignal, { kind: 'issue' }>> & { issueId: string; title: string }): AlertSignal {
  return {
    kind: 'issue',
    culprit: null,
    url: `${base}/issues/${overrides.issueId}`,
    orgSlug: 'acme',
    levelHint: null,
    project: null,
    environment: null,
    release: null,
    serverName: null,
    shortId: null,
    extraTags: {},
    ...overrides,
  };
}

const checkoutMonitor = (down: boolean): AlertSignal => ({
  kind: 'uptime',
  monitorId: '7',
  name: 'Checkout API health',
  url: `${base}/uptime-monitors/7`,
  orgSlug: 'acme',
  down,
  message: down ? 'The monitored site has gone down.' : 'The monitored site is back up.',
});

const zeroDivision = {
  issueId: '1042',
  title: 'ZeroDivisionError: division by zero',
  culprit: 'app.views.reports in compute_ratio',
  levelHint: 'error' as const,
  project: 'Backend',
  environment: 'production',
  serverName: 'web-01',
  release: 'backend@2.4.1',
};

const expectedByExample: Record<string, { format: WebhookFormat; totalIssues: number; signals: AlertSignal[] }> = {
  'webhook_issue_alert_generic.json': {
    format: 'webhook',
    totalIssues: 5,
    signals: [
      issue({ ...zeroDivision, shortId: 'BACKEND-1A', extraTags: { Customer: 'initech' } }),
      issue({
        issueId: '1043',
        title: 'DeprecationWarning: pagination without ordering',
        culprit: 'app.api.list_orders',
        project: 'Backend',
        environment: 'staging',
        shortId: 'BACKEND-1B',
      }),
      issue({
        issueId: '1047',
        title: 'Nightly export finished with 3 skipped rows',
        culprit: 'app.tasks.export in run_nightly_export',
        levelHint: 'info',
        project: 'Backend',
        environment: 'production',
        serverName: 'worker-02',
        release: 'backend@2.4.1',
        shortId: 'BACKEND-1F',
      }),
    ],
  },
  'webhook_issue_alert_generic_single.json': {
    format: 'webhook',
    totalIssues: 1,
    signals: [
      issue({
        issueId: '2210',
        title: "TypeError: Cannot read properties of undefined (reading 'map')",
        culprit: 'renderOrders(/static/js/orders.js)',
        levelHint: 'error',
        project: 'Web Frontend',
        environment: 'production',
        release: 'web@5.0.2',
        shortId: 'WEB-FRONTEND-24',
      }),
    ],
  },
  'webhook_issue_alert_discord.json': {
    format: 'discord',
    totalIssues: 2,
    signals: [
      issue(zeroDivision),
      issue({
        issueId: '1047',
        title: 'Nightly export finished with 3 skipped rows',
        culprit: 'app.tasks.export in run_nightly_export',
        levelHint: 'info',
        project: 'Backend',
      }),
    ],
  },
  'webhook_issue_alert_googlechat.json': {
    format: 'googlechat',
    totalIssues: 1,
    signals: [issue({ ...zeroDivision, shortId: 'BACKEND-1A' })],
  },
  'webhook_uptime_down_generic.json': { format: 'webhook', totalIssues: 1, signals: [checkoutMonitor(true)] },
  'webhook_uptime_up_generic.json': { format: 'webhook', totalIssues: 1, signals: [checkoutMonitor(false)] },
  'webhook_uptime_down_discord.json': { format: 'discord', totalIssues: 1, signals: [checkoutMonitor(true)] },
  'webhook_uptime_down_googlechat.json': { format: 'googlechat', totalIssues: 1, signals: [checkoutMonitor(true)] },
};

describe('parseGlitchTipWebhook on the contract examples', () => {
  it('has an expectation for every webhook example file', () => {
    const files = fs.readdirSync(contractDir).filter((name) => /^webhook_.*\.json$/.test(name)).sort();
    expect(files).toEqual(Object.keys(expectedByExample).sort());
  });

  it.each(Object.entries(expectedByExample))('%s', (file, expected) => {
    const parsed = parseGlitchTipWebhook(example(file));
    expect(parsed).toEqual({ ok: true, ...expected });
    if (parsed.ok) for (const signal of parsed.signals) expect(alertSignalSchema.parse(signal)).toEqual(signal);
  });
});

/** The first attachment of the generic example with some keys replaced. */
function genericWith(attachment: Record<string, unknown>, body: Record<string, unknown> = {}): Record<string, unknown> {
  const original = example('webhook_issue_alert_generic_single.json');
  const [first] = original.attachments as Array<Record<string, unknown>>;
  return { ...original, attachments: [{ ...first, ...attachment }], ...body };
}

function firstSignal(body: unknown): AlertSignal {
  const parsed = parseGlitchTipWebhook(body);
  if (!parsed.ok) throw new Error(`rejected: ${parsed.reason}`);
  return parsed.signals[0]!;
}

describe('parseGlitchTipWebhook on odd but valid bodies', () => {
  const { alias: _alias, ...withoutAlias } = example('webhook_issue_alert_generic_single.json');
  const { sections: _sections, ...withoutSections } = example('webhook_issue_alert_generic_single.json');

  it.each<[string, unknown, Partial<AlertSignal>]>([
    ['no alias', withoutAlias, { issueId: '2210' }],
    ['no sections: no short id', withoutSections, { shortId: null }],
    ['fields: null', genericWith({ fields: null }), { project: null, environment: null, release: null, extraTags: {} }],
    ['fields missing', genericWith({ fields: undefined }), { project: null, extraTags: {} }],
    ['color: null', genericWith({ color: null }), { levelHint: null }],
    ['upper-case colour', genericWith({ color: '#E52B50' }), { levelHint: 'error' }],
    ['unknown colour', genericWith({ color: '#ffa500' }), { levelHint: null }],
    ["Slack's mrkdwn_in spelling", genericWith({ mrkdown_in: undefined, mrkdwn_in: ['text'] }), { issueId: '2210' }],
    ['culprit null', genericWith({ text: null }), { culprit: null }],
    ['blank title', genericWith({ title: '  ' }), { title: 'Issue 2210' }],
    ['very long title is clipped', genericWith({ title: 'x'.repeat(5_000) }), { title: `${'x'.repeat(1_999)}…` }],
    [
      'GlitchTip under a base path, trailing slash',
      genericWith({ title_link: 'https://example.com/glitchtip/my-org/issues/77/' }),
      { issueId: '77', orgSlug: 'my-org', url: 'https://example.com/glitchtip/my-org/issues/77/' },
    ],
    [
      'link with query and fragment',
      genericWith({ title_link: 'https://gt.example.com/acme/issues/78?project=3#events' }),
      { issueId: '78', orgSlug: 'acme' },
    ],
    ['link without org', genericWith({ title_link: 'https://gt.example.com/issues/79' }), { issueId: '79', orgSlug: null }],
    [
      'numeric and lower-case fields, extra tags by title',
      genericWith({
        fields: [
          { title: 'Server name', value: 'db-1', short: true },
          { title: 'Browser.name', value: 'Firefox', short: false },
          { title: 'Custom_tag', value: 42, short: false },
          { title: 'Empty', value: '', short: false },
        ],
      }),
      { serverName: 'db-1', extraTags: { 'Browser.name': 'Firefox', Custom_tag: '42' } },
    ],
  ])('%s', (_name, body, expected) => {
    expect(firstSignal(body)).toMatchObject(expected);
  });

  it('counts "(N issues)" even when fewer attachments are shown', () => {
    const parsed = parseGlitchTipWebhook({ ...example('webhook_issue_alert_generic.json'), text: 'GlitchTip Alert (12 issues)' });
    expect(parsed).toMatchObject({ ok: true, totalIssues: 12 });
    expect(parsed.ok && parsed.signals.map((signal) => signal.kind === 'issue' && signal.issueId)).toEqual(['1042', '1043', '1047']);
  });

  it('never reports fewer issues than it found', () => {
    expect(parseGlitchTipWebhook({ ...example('webhook_issue_alert_generic.json'), text: 'GlitchTip Alert (1 issues)' })).toMatchObject({
      ok: true,
      totalIssues: 3,
    });
  });

  it.each<[string, string, boolean]>([
    ['GlitchTip wording, down', 'The monitored site has gone down.', true],
    ['GlitchTip wording, up', 'The monitored site is back up.', false],
    ['recovered', 'Monitor recovered', false],
    ['unknown sentence counts as down', 'Status changed', true],
    ['empty message counts as down', '', true],
  ])('uptime direction: %s', (_name, message, down) => {
    const original = example('webhook_uptime_down_generic.json');
    const [attachment] = original.attachments as Array<Record<string, unknown>>;
    expect(firstSignal({ ...original, attachments: [{ ...attachment, text: message }] })).toMatchObject({ kind: 'uptime', down });
  });

  it('reads Discord colours as integers and tolerates fields: null', () => {
    const original = example('webhook_issue_alert_discord.json');
    const [embed] = original.embeds as Array<Record<string, unknown>>;
    expect(firstSignal({ ...original, embeds: [{ ...embed, color: 4939956, fields: null }] })).toMatchObject({
      levelHint: 'info',
      project: null,
      serverName: null,
    });
  });

  it('accepts only the formats asked for', () => {
    const discord = example('webhook_issue_alert_discord.json');
    expect(parseGlitchTipWebhook(discord, { formats: ['discord'] })).toMatchObject({ ok: true, format: 'discord' });
    expect(parseGlitchTipWebhook(discord, { formats: ['webhook'] })).toEqual({
      ok: false,
      reason: 'discord bodies are not accepted here (accepted: webhook)',
    });
  });
});

describe('parseGlitchTipWebhook rejects what is not a GlitchTip alert', () => {
  const generic = example('webhook_issue_alert_generic_single.json');
  const googleChat = example('webhook_issue_alert_googlechat.json');

  it.each<[string, unknown, string]>([
    ['null', null, 'body must be a JSON object, got null'],
    ['an array', [generic], 'body must be a JSON object, got an array'],
    ['a string', 'GlitchTip Alert', 'body must be a JSON object, got a string'],
    ['a number', 5, 'body must be a JSON object, got a number'],
    [
      'a plain Slack message',
      { text: 'hello' },
      'not a GlitchTip alert: the body has no attachments (webhook), embeds (Discord) or cardsV2 (Google Chat)',
    ],
    ['attachments: null', { ...generic, attachments: null }, 'not a GlitchTip alert: attachments must be an array, got null'],
    ['no attachments', { ...generic, attachments: [] }, 'not a GlitchTip alert: attachments is empty: the alert names no issue or monitor'],
    ['an attachment that is text', { ...generic, attachments: ['x'] }, 'not a GlitchTip alert: attachments[0] must be an object, got a string'],
    [
      'no title_link',
      genericWith({ title_link: undefined }),
      'not a GlitchTip alert: attachments[0] has no link to a GlitchTip issue or uptime monitor',
    ],
    [
      'title_link to a project page',
      genericWith({ title_link: 'https://glitchtip.example.com/acme/projects/5' }),
      'not a GlitchTip alert: attachments[0]: link "https://glitchtip.example.com/acme/projects/5" names neither an issue (/{org}/issues/{id}) nor an uptime monitor (/{org}/uptime-monitors/{id})',
    ],
    [
      'non-numeric issue id',
      genericWith({ title_link: 'https://glitchtip.example.com/acme/issues/abc' }),
      'not a GlitchTip alert: attachments[0]: link "https://glitchtip.example.com/acme/issues/abc" names neither an issue (/{org}/issues/{id}) nor an uptime monitor (/{org}/uptime-monitors/{id})',
    ],
    ['title_link not a URL', genericWith({ title_link: '/acme/issues/5' }), 'not a GlitchTip alert: attachments[0]: link "/acme/issues/5" is not a URL'],
    [
      'title_link not http',
      genericWith({ title_link: 'javascript:alert(1)//acme/issues/5' }),
      'not a GlitchTip alert: attachments[0]: link "javascript:alert(1)//acme/issues/5" is not an http(s) URL',
    ],
    [
      'a second attachment without link',
      { ...generic, attachments: [...(generic.attachments as unknown[]), { title: 'x' }] },
      'not a GlitchTip alert: attachments[1] has no link to a GlitchTip issue or uptime monitor',
    ],
    ['Discord without embeds', { content: 'GlitchTip Alert', embeds: [] }, 'not a GlitchTip alert: embeds is empty: the alert names no issue or monitor'],
    ['Google Chat card without card', { cardsV2: [{ cardId: 'x' }] }, 'not a GlitchTip alert: cardsV2[0].card must be an object'],
    [
      'Google Chat card without a button link',
      { cardsV2: [{ card: { header: { title: 'GlitchTip Alert' }, sections: [{ header: 'x', widgets: [] }] } }] },
      'not a GlitchTip alert: cardsV2[0].card.sections[0] has no link to a GlitchTip issue or uptime monitor',
    ],
  ])('%s', (_name, body, reason) => {
    expect(parseGlitchTipWebhook(body)).toEqual({ ok: false, reason });
  });

  it('keeps the Google Chat example valid when its colour is unknown', () => {
    const cards = structuredClone(googleChat.cardsV2) as Array<{ card: { sections: Array<{ header: string }> } }>;
    cards[0]!.card.sections[0]!.header = "<font color='#123456'>Plain title</font>";
    expect(firstSignal({ cardsV2: cards })).toMatchObject({ title: 'Plain title', levelHint: null, project: 'Backend' });
  });
});
