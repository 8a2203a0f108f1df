import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './child-process';

/** shared/contract/glitchtip beside the repository (CI lays shared/ there too): the examples tests read, never copies. */
export const glitchtipContractDir = path.resolve(repoRoot, '../shared/contract/glitchtip');

/** One contract example, parsed (`api_issue_detail` or `api_issue_detail.json`). */
export function readGlitchTipContract(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(fs.readFileSync(path.join(glitchtipContractDir, file), 'utf8'));
}
