/**
 * Runs every bench/*.bench.ts one after another (never in parallel: they would measure each other), each in a
 * fresh `node --import tsx` process, and exits non-zero if any of them failed.
 *
 *   node --import tsx bench/run-all.ts        (npm run bench)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');
const benches = fs.readdirSync(benchDir).filter((name) => name.endsWith('.bench.ts')).sort();

function run(file: string): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { cwd: repoRoot, stdio: 'inherit' });
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}

const outcomes: Array<{ file: string; outcome: number | string }> = [];
for (const file of benches) {
  console.log(`\n=== ${file}`);
  outcomes.push({ file, outcome: await run(file) });
}
console.log('\n=== summary');
for (const { file, outcome } of outcomes) console.log(`${outcome === 0 ? 'ok    ' : 'FAILED'} ${file}${outcome === 0 ? '' : ` (${outcome})`}`);
if (benches.length === 0) console.log('no bench/*.bench.ts found');
process.exitCode = outcomes.some(({ outcome }) => outcome !== 0) ? 1 : 0;
