import { describe, it, expect } from '@jest/globals';
import { helpText, parseCommand, parseHours, splitCommand, usageOf } from './command-args';

describe('splitCommand', () => {
  it.each([
    ['/resolve 1042', { command: 'resolve', args: ['1042'] }],
    ['/Resolve@triage_bot   1042  ', { command: 'resolve', args: ['1042'] }],
    ['/errors', { command: 'errors', args: [] }],
    ['/mute 1042\n4', { command: 'mute', args: ['1042', '4'] }],
  ])('%j', (text, expected) => {
    expect(splitCommand(text)).toEqual(expected);
  });

  it('is undefined for text that is not a command', () => {
    expect(splitCommand('hello /resolve 1')).toBeUndefined();
    expect(splitCommand('/')).toBeUndefined();
  });
});

describe('parseHours', () => {
  it.each([
    ['6', 6],
    ['6h', 6],
    ['2d', 48],
    ['2D', 48],
    ['0', undefined],
    ['abc', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['400', undefined],
  ])('%s within 336 -> %s', (text, expected) => {
    expect(parseHours(text, 336)).toBe(expected);
  });
});

describe('parseCommand', () => {
  it.each([
    ['resolve', ['1042'], { kind: 'issue-action', action: 'resolve', issueId: '1042' }],
    ['ignore', ['7'], { kind: 'issue-action', action: 'ignore', issueId: '7' }],
    ['investigate', ['1042'], { kind: 'issue-action', action: 'investigate', issueId: '1042' }],
    ['mute', ['1042', '4'], { kind: 'issue-action', action: 'mute', issueId: '1042', hours: 4 }],
    ['mute', ['1042', '1d'], { kind: 'issue-action', action: 'mute', issueId: '1042', hours: 24 }],
    ['runbook', ['1042'], { kind: 'runbook', issueId: '1042' }],
    ['errors', [], { kind: 'errors', hours: 24 }],
    ['errors', ['checkout'], { kind: 'errors', component: 'checkout', hours: 24 }],
    ['errors', ['6'], { kind: 'errors', hours: 6 }],
    ['errors', ['7d'], { kind: 'errors', hours: 168 }],
    ['errors', ['payments-api', '12h'], { kind: 'errors', component: 'payments-api', hours: 12 }],
    ['stats', [], { kind: 'stats', period: '24h' }],
    ['stats', ['7d'], { kind: 'stats', period: '7d' }],
    ['stats', ['24H'], { kind: 'stats', period: '24h' }],
    ['help', ['whatever'], { kind: 'help' }],
  ] as const)('/%s %j', (command, args, expected) => {
    expect(parseCommand(command, [...args])).toEqual(expected);
  });

  it.each([
    ['mute', ['1042', 'abc']],
    ['mute', ['1042']],
    ['mute', ['1042', '0']],
    ['mute', ['1042', '9000']],
    ['mute', ['abc', '4']],
    ['resolve', []],
    ['resolve', ['1042', '1043']],
    ['resolve', ['01042']],
    ['resolve', ['1042; drop table']],
    ['runbook', ['x']],
    ['stats', ['30d']],
    ['stats', ['24h', '7d']],
    ['errors', ['checkout', 'abc']],
    ['errors', ['999']],
    ['errors', ['a', 'b', 'c']],
    ['errors', ['is:resolved']],
    ['errors', ['"quoted"']],
  ] as const)('/%s %j is a usage line', (command, args) => {
    expect(parseCommand(command, [...args])).toEqual({ kind: 'usage', usage: usageOf(command) });
  });

  it('words usage lines with an example', () => {
    expect(usageOf('mute')).toBe('Usage: /mute <id> <hours> (e.g. /mute 1042 4)');
    expect(usageOf('errors')).toBe('Usage: /errors [component] [hours] (e.g. /errors checkout 6)');
  });

  it('lists every command in /help', () => {
    for (const command of ['errors', 'stats', 'investigate', 'resolve', 'ignore', 'mute', 'runbook', 'help']) {
      expect(helpText()).toContain(`/${command}`);
    }
  });
});
