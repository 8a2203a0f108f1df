import { describe, expect, it } from '@jest/globals';
import { buildAlertKeyboard, type AlertKeyboardButton } from './alert-keyboard';
import type { IssueState } from './alert-view';
import { callbackDataMaxBytes, decodeCallback } from '@triage/contracts';

function describeButton(button: AlertKeyboardButton): string {
  if ('url' in button) return `url:${button.url}`;
  const decoded = decodeCallback(button.callback_data);
  if ('error' in decoded) throw new Error(`button ${button.text} has undecodable data: ${decoded.error}`);
  return decoded.action === 'mute' ? `mute:${decoded.hours}` : decoded.action;
}

const issueUrl = 'https://glitchtip.example.com/acme/issues/987654321';
const runbookUrl = 'https://wiki.example.com/runbooks/db';

describe('buildAlertKeyboard', () => {
  it.each<[IssueState, string[][]]>([
    ['unresolved', [['investigate', 'resolve', 'ignore'], ['mute:1', 'mute:4', 'mute:24']]],
    ['regressed', [['investigate', 'resolve', 'ignore'], ['mute:1', 'mute:4', 'mute:24']]],
    ['resolved', [['investigate', 'reopen']]],
    ['ignored', [['investigate', 'resolve', 'reopen']]],
    ['muted', [['investigate', 'resolve', 'ignore'], ['unmute']]],
  ])('state %s offers %j and the links', (state, actionRows) => {
    const keyboard = buildAlertKeyboard({ issueId: '987654321', issueUrl, runbookUrl, state });
    expect(keyboard.inline_keyboard.map((row) => row.map(describeButton))).toEqual([...actionRows, [`url:${issueUrl}`, `url:${runbookUrl}`]]);
    for (const button of keyboard.inline_keyboard.flat()) {
      if ('callback_data' in button) {
        expect(new TextEncoder().encode(button.callback_data).length).toBeLessThanOrEqual(callbackDataMaxBytes);
        expect(decodeCallback(button.callback_data)).toMatchObject({ issueId: '987654321' });
      }
    }
  });

  it.each<[IssueState, { by: string | null } | undefined, string[]]>([
    ['unresolved', { by: null }, ['acknowledge', 'investigate', 'resolve', 'ignore']],
    ['regressed', { by: null }, ['acknowledge', 'investigate', 'resolve', 'ignore']],
    ['unresolved', { by: '@ana' }, ['investigate', 'resolve', 'ignore']],
    ['unresolved', undefined, ['investigate', 'resolve', 'ignore']],
    ['resolved', { by: null }, ['investigate', 'reopen']],
  ])('state %s with acknowledgement %j starts with %j', (state, acknowledgement, firstRow) => {
    const keyboard = buildAlertKeyboard({ issueId: '987654321', issueUrl, state, ...(acknowledgement ? { acknowledgement } : {}) });
    expect(keyboard.inline_keyboard[0]!.map(describeButton)).toEqual(firstRow);
  });

  it('leaves out the runbook button without a runbook, and URL buttons Telegram would refuse', () => {
    const withoutRunbook = buildAlertKeyboard({ issueId: '1', issueUrl, state: 'resolved' });
    expect(withoutRunbook.inline_keyboard.at(-1)?.map(describeButton)).toEqual([`url:${issueUrl}`]);
    const badUrls = buildAlertKeyboard({ issueId: '1', issueUrl: 'not a url', runbookUrl: 'file:///etc/passwd', state: 'resolved' });
    expect(badUrls.inline_keyboard.map((row) => row.map(describeButton))).toEqual([['investigate', 'reopen']]);
    const localhost = buildAlertKeyboard({ issueId: '1', issueUrl: 'http://localhost:8000/acme/issues/1', state: 'resolved' });
    expect(localhost.inline_keyboard.map((row) => row.map(describeButton))).toEqual([['investigate', 'reopen']]);
    const byIp = buildAlertKeyboard({ issueId: '1', issueUrl: 'http://10.0.0.5:8000/acme/issues/1', state: 'resolved' });
    expect(byIp.inline_keyboard.at(-1)?.map(describeButton)).toEqual(['url:http://10.0.0.5:8000/acme/issues/1']);
  });
});
