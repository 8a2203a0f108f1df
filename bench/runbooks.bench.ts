/**
 * Runbook matching and lint speed: what a sweep of unresolved issues and `triage runbooks lint` cost.
 *
 *   node --import tsx bench/runbooks.bench.ts        (npm run bench:runbooks)
 *
 * Prints figures and ratios (RE2 in WebAssembly against V8's backtracking RegExp on the same safe patterns); it never
 * fails on a number.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintRunbooks, matchRunbooks, readRunbookFiles, type IssueFacts, type PreparedRunbook } from '@triage/runbooks';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = await readRunbookFiles(path.join(repoRoot, 'runbooks'));

const lintStart = performance.now();
const { runbooks } = lintRunbooks(files);
const lintMs = performance.now() - lintStart;
const patterns = runbooks.reduce((sum, prepared) => sum + prepared.patterns.length, 0);

const stack = Array.from({ length: 40 }, (_, index) => `    at handler${index} (/app/dist/routes/orders.js:${index + 10}:17)`).join('\n');
const cases: Array<{ name: string; facts: IssueFacts }> = [
  { name: 'no match, title and culprit', facts: { title: "TypeError: Cannot read properties of undefined (reading 'map')", culprit: 'app/handlers/checkout.ts in submitOrder', level: 'error' } },
  { name: 'no match, 2 kB message', facts: { title: 'Error: payment declined', culprit: 'payments.charge', message: `Error: payment declined\n${stack}`.slice(0, 2048), level: 'error' } },
  { name: 'match in the title', facts: { title: 'Error: connect ECONNREFUSED 10.0.0.7:6379', culprit: 'TCPConnectWrap.afterConnect', level: 'error' } },
];

function timePerIssue(run: () => void, iterations: number): number {
  for (let index = 0; index < Math.min(50, iterations); index += 1) run();
  const start = performance.now();
  for (let index = 0; index < iterations; index += 1) run();
  return (performance.now() - start) / iterations;
}

/** The same patterns on V8's RegExp: the speed a backtracking engine gives when no pattern misbehaves. */
function nativeMatch(prepared: readonly PreparedRunbook[], facts: IssueFacts): boolean {
  let any = false;
  for (const { patterns: list } of prepared) {
    for (const pattern of list) {
      const regex = native.get(pattern.source)!;
      for (const text of [facts.title, facts.culprit ?? '', facts.message ?? '']) if (text && regex.test(text)) any = true;
    }
  }
  return any;
}
const native = new Map(runbooks.flatMap((prepared) => prepared.patterns.map((pattern): [string, RegExp] => [pattern.source, new RegExp(pattern.source, 'iu')])));

console.log(`runbooks: ${runbooks.length}, patterns: ${patterns}`);
console.log(`lint (parse, RE2 compile, recheck, overlaps): ${lintMs.toFixed(0)} ms, ${(lintMs / patterns).toFixed(1)} ms per pattern`);
for (const { name, facts } of cases) {
  const re2Ms = timePerIssue(() => matchRunbooks(runbooks, facts), 500);
  const nativeMs = timePerIssue(() => nativeMatch(runbooks, facts), 500);
  console.log(
    `${name.padEnd(28)} matchRunbooks ${(re2Ms * 1000).toFixed(0).padStart(6)} µs/issue (${Math.round(1000 / re2Ms)} issues/s) · V8 RegExp ${(nativeMs * 1000).toFixed(0).padStart(5)} µs · ratio ${(re2Ms / nativeMs).toFixed(1)}x`,
  );
}
const sweepMs = timePerIssue(() => matchRunbooks(runbooks, cases[1]!.facts), 200) * 500;
console.log(`an hourly sweep of 500 unresolved issues with 2 kB messages: ~${sweepMs.toFixed(0)} ms of matching`);
