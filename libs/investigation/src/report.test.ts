import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CrashFrame } from './frames';
import type { Investigation } from './investigation';
import { isInvestigationComment, maxReportChars, renderReport, renderSummary } from './report';
import { runInvestigation } from './run-investigation';
import { createTestRepo, lines, type TestRepo } from '@triage/testing';

describe('hostile input', () => {
  let repo: TestRepo;
  let canaryDir: string;
  const canary = () => path.join(canaryDir, 'pwned');
  const hostileNames = () => [
    `$(touch ${canary()})`,
    `\`touch ${canary()}\``,
    `src/a.ts; touch ${canary()}`,
    `src/a.ts\ntouch ${canary()}`,
    `-rf`,
    `--pre=touch ${canary()}`,
    '../../../../../../etc/passwd',
    '/app/src/escape.ts',
  ];

  beforeAll(async () => {
    canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-canary-'));
    repo = await createTestRepo('hostile');
    await repo.commit({ 'src/a.ts': lines(20, { 10: `const blob = "${'x'.repeat(10 * 1024 * 1024)}";` }), 'src/-rf': 'not an option\n' }, 'initial; $(touch /tmp/nope) `x`\nsecond line', '2026-03-01T00:00:00Z');
    fs.symlinkSync('/etc/passwd', path.join(repo.root, 'src/escape.ts'));
    await repo.commit({}, 'a symlink to /etc/passwd', '2026-03-02T00:00:00Z');
  });
  afterAll(() => {
    repo.remove();
    fs.rmSync(canaryDir, { recursive: true, force: true });
  });

  function hostileFrames(): CrashFrame[] {
    const frames = hostileNames().map((name): CrashFrame => ({ path: name, absPath: name, function: `--pre=touch ${canary()}`, module: null, lineNo: 10, colNo: 1, inApp: true, contextLine: 'x'.repeat(10 * 1024 * 1024) }));
    frames.push({ path: '/app/src/a.ts', absPath: null, function: `$(touch ${canary()})\n## Injected heading`, module: null, lineNo: 10, colNo: 1, inApp: true, contextLine: null });
    return frames;
  }

  it('runs nothing, reads nothing outside the repository, and the report renders within limits', async () => {
    const result = await runInvestigation({
      issueId: '7',
      title: `Error: $(touch ${canary()})`,
      project: null,
      release: `--output=${canary()}`,
      firstSeen: new Date('2026-03-10T00:00:00Z'),
      crash: { exceptionType: 'Error', message: `\`touch ${canary()}\` ; rm -rf / [link](javascript:alert(1)) <script>`, frames: hostileFrames(), source: 'event' },
      repo: { path: repo.root, webUrl: 'https://git.example.com/x', stripPrefixes: [] },
    });
    expect(fs.existsSync(canary())).toBe(false);
    // `-rf` is a real file of the repository: it maps, and git gets it after `--`, never as an option.
    expect(result.mapping.filter((frame) => frame.file !== null).map((frame) => frame.file)).toEqual(['src/-rf', 'src/a.ts']);
    expect(result.notes.filter((note) => note.includes('failed'))).toEqual([]);
    const serialized = JSON.stringify(result);
    expect(serialized).not.toContain('root:x:0:0');
    expect(serialized.length).toBeLessThan(50_000);
    const report = renderReport(result);
    expect(report.length).toBeLessThanOrEqual(maxReportChars);
    expect(isInvestigationComment(report)).toBe(true);
    expect(report).not.toMatch(/^## Injected heading/m);
    expect(report).not.toContain('<script>');
    // The hostile message is rendered, on one line, with every markdown and HTML character escaped.
    expect(report).toContain(`**Error:** Error: \\\`touch ${canary()}\\\` ; rm -rf / \\[link\\]\\(javascript:alert\\(1\\)\\) \\<script\\>`);
    expect(report).not.toContain('[link](javascript:');
    expect(report).toContain('src/a.ts');
    expect(renderSummary(result)).toContain('file src/-rf');
  });

  it('keeps a report of many large sections within the limit, dropping whole sections', () => {
    const big: Investigation = {
      version: 1, issueId: '1', title: 't', exceptionType: 'E', message: 'm', framesSource: 'event', frames: [], repository: { project: null, webUrl: null },
      revision: null, timings: { total: 1 }, timedOut: null, notes: [], firstSeen: null, finishedAt: new Date(0).toISOString(),
      mapping: Array.from({ length: 8 }, (_, index) => ({ frameIndex: index, function: 'f', reportedPath: 'a', file: `src/file${index}.ts`, line: 3, via: 'suffix' as const, note: null, context: Array.from({ length: 7 }, (_, row) => ({ line: row + 1, text: 'y'.repeat(200) })) })),
      suspects: Array.from({ length: 3 }, (_, index) => ({ sha: String(index).repeat(40), author: 'a'.repeat(500), date: new Date(0).toISOString(), subject: 's'.repeat(5_000), score: 1, afterFirstSeen: false, reasons: ['r'.repeat(5_000)] })),
      similar: Array.from({ length: 3 }, (_, index) => ({ issueId: String(index), title: 't'.repeat(5_000), status: 'resolved' as const, score: 0.9, because: ['same type'], url: null, comments: ['c'.repeat(50_000)] })),
    };
    const report = renderReport(big);
    expect(report.length).toBeLessThanOrEqual(maxReportChars);
    expect(report).toContain('Suspect commits');
  });

  it.each([
    ['an e-mail address in the message is scrubbed', 'TypeError', 'no user ana.silva@example.com', '**Error:** TypeError: no user [email]'],
    ['a message without a type keeps its text', null, 'boom *now*', '**Error:** boom \\*now\\*'],
    ['a type without a message', 'QuuxFault', null, '**Error:** QuuxFault'],
  ])('renders the error in the header: %s', (_label, exceptionType, message, expected) => {
    const plain: Investigation = {
      version: 1, issueId: '1', title: 't', exceptionType, message, framesSource: 'event', frames: [], repository: { project: null, webUrl: null },
      revision: null, timings: { total: 1 }, timedOut: null, notes: [], firstSeen: null, finishedAt: new Date(0).toISOString(), mapping: [], suspects: [], similar: [],
    };
    expect(renderReport(plain).split('\n')).toContain(expected);
  });
});
