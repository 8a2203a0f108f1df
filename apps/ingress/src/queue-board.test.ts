import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queueNames } from '@triage/contracts';
import { chromium, type Browser } from 'playwright-core';
import { startIngress, type IngressHarness } from './fixtures/ingress-harness';

const board = { BOARD_USER: 'ops', BOARD_PASSWORD: 'board-password-1', BOARD_READ_ONLY: 'true' };

describe('Bull Board at /admin/queues', () => {
  let harness: IngressHarness;
  let browser: Browser;
  beforeAll(async () => {
    harness = await startIngress({ env: board });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await harness.close();
  });

  it('lists every queue to a browser that logs in', async () => {
    const context = await browser.newContext({ httpCredentials: { username: board.BOARD_USER, password: board.BOARD_PASSWORD } });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${harness.url}/admin/queues`);
      expect(response?.status()).toBe(200);
      for (const name of queueNames) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
      const listed = await page.locator('body').innerText();
      for (const name of queueNames) expect(listed).toContain(name);
    } finally {
      await context.close();
    }
  });

  it.each<[string, Record<string, string>]>([
    ['no credentials', {}],
    ['a wrong password', { authorization: `Basic ${Buffer.from(`${board.BOARD_USER}:wrong-password`).toString('base64')}` }],
    ['a wrong user', { authorization: `Basic ${Buffer.from(`admin:${board.BOARD_PASSWORD}`).toString('base64')}` }],
  ])('answers 401 to %s, for the page and its API', async (_name, headers) => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await fetch(`${harness.url}${path}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
  });

  it('serves the read-only board API behind the same credentials', async () => {
    const authorization = `Basic ${Buffer.from(`${board.BOARD_USER}:${board.BOARD_PASSWORD}`).toString('base64')}`;
    const response = await fetch(`${harness.url}/admin/queues/api/queues`, { headers: { authorization } });
    expect(response.status).toBe(200);
    const { queues } = (await response.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(queues.map((queue) => queue.name).sort()).toEqual([...queueNames].sort());
    expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });
});

describe('without BOARD_USER and BOARD_PASSWORD', () => {
  it('mounts no board', async () => {
    const harness = await startIngress();
    try {
      expect((await fetch(`${harness.url}/admin/queues`)).status).toBe(404);
    } finally {
      await harness.close();
    }
  });
});
