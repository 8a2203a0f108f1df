import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './child-process';

/** GlitchTip's contract examples, kept inside the repository (tests/fixtures/contract) so a clone alone runs the tests. */
export const glitchtipContractDir = path.resolve(repoRoot, 'tests/fixtures/contract/glitchtip');

/** One contract example, parsed (`api_issue_detail` or `api_issue_detail.json`). */
export function readGlitchTipContract(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(fs.readFileSync(path.join(glitchtipContractDir, file), 'utf8'));
}
