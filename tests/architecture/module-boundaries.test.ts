import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { repoRoot } from '@triage/testing';

/**
 * Lints a probe file at `filePath` through the repo's real ESLint + Nx configuration. The type-checked rules need the
 * file on disk (the TypeScript project service does not see stdin), so it is written there for the run and removed.
 */
async function lintAs(filePath: string, source: string): Promise<string> {
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  const unique = filePath.replace(/\.ts$/, `-${process.pid}-${Date.now()}.ts`);
  const absolute = path.join(repoRoot, unique);
  fs.writeFileSync(absolute, source);
  try {
    await execa('npx', ['nx', 'show', 'projects'], { cwd: repoRoot, env });
    const result = await execa('npx', ['eslint', '--format', 'json', unique], { cwd: repoRoot, env, reject: false });
    const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
    return report!.messages.map((message) => `${message.ruleId}: ${message.message}`).join('\n');
  } finally {
    fs.rmSync(absolute, { force: true });
  }
}

describe('module boundaries', () => {
  it('forbids a producer app from importing worker code', async () => {
    const problems = await lintAs(
      'apps/ingress/src/boundary-probe.ts',
      "import { GlitchTipClient } from '@triage/glitchtip';\nimport { allHandlers } from '@triage/jobs/handlers';\nexport const x = [GlitchTipClient, allHandlers];\n",
    );
    expect(problems).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "type:producer" can only depend on libs tagged with/);
    expect(problems).toMatch(/no-restricted-imports: '@triage\/jobs\/handlers' import is restricted/);
  }, 60_000);

  it('keeps job contracts free of worker code (a producer loading a contract never loads a transport)', async () => {
    const problems = await lintAs(
      'libs/contracts/src/boundary-probe.ts',
      "import { TelegramBotApi } from '@triage/telegram';\nexport const x = [TelegramBotApi];\n",
    );
    expect(problems).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "type:jobs" can only depend on libs tagged with/);
  }, 60_000);

  it('lets a producer import contracts, queue and shared libs', async () => {
    const problems = await lintAs(
      'apps/ingress/src/boundary-probe.ts',
      "import { processAlert } from '@triage/contracts';\nimport { Producer } from '@triage/queue';\nimport { loadConfig } from '@triage/config';\nexport const x = [processAlert, Producer, loadConfig];\n",
    );
    expect(problems).toBe('');
  }, 60_000);
});
