import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '@triage/config';
import { MissingBinaryError } from '@triage/embedded';
import { createLogger, type Logger } from '@triage/logger';
import { registerBulkCommands } from './commands/bulk';
import { registerReviewCommand } from './commands/review';
import { healthCommand } from './commands/health';
import { investigateCommand, type InvestigateOptions } from './commands/investigate';
import { migrateCommand } from './commands/migrate';
import { replayCommand } from './commands/replay';
import { reportCommand } from './commands/report';
import { indexRunbooksCommand, lintRunbooksCommand } from './commands/runbooks';
import { startCommand } from './commands/start';

function setup(): { config: Config; logger: Logger } {
  loadDotEnv();
  const config = loadConfig();
  return { config, logger: createLogger({ name: 'triage', level: config.logLevel }) };
}

const program = new Command()
  .name('triage')
  .description('Triage: rich Telegram alerts, investigations and daily reports for a self-hosted GlitchTip')
  .showHelpAfterError();

program
  .command('start')
  .description('start everything: a private Redis and Postgres when REDIS_URL/DATABASE_URL are unset, migrations, then the ingress, workers and bot')
  .option('--only <roles>', 'comma-separated subset of ingress,worker,bot')
  .action(async (options: { only?: string }) => {
    const { config, logger } = setup();
    await startCommand(config, logger, options);
  });

program
  .command('migrate')
  .description('apply pending database migrations (DATABASE_URL, or the embedded Postgres under DATA_DIR)')
  .action(async () => {
    const { config, logger } = setup();
    await migrateCommand(config, logger);
  });

program
  .command('replay')
  .description('post a saved GlitchTip webhook body to the running ingress (same path, token and checks as GlitchTip)')
  .argument('<payload.json>', 'a webhook body as GlitchTip sends it')
  .option('--url <url>', 'ingress base URL (default http://127.0.0.1:$PORT)')
  .action(async (file: string, options: { url?: string }) => {
    const { config } = setup();
    process.exitCode = await replayCommand(config, file, options);
  });

program
  .command('health')
  .description("check Triage: the ingress's /healthz and /readyz, each job type's last 24 h, queue depths, and whether Redis, Postgres, GlitchTip, Telegram and each repository answer")
  .option('--url <url>', 'ingress base URL (default http://127.0.0.1:$PORT)')
  .action(async (options: { url?: string }) => {
    const { config } = setup();
    process.exitCode = await healthCommand(config, options);
  });

const runbooks = program.command('runbooks').description('check and index the markdown runbooks (RUNBOOKS_DIR)');
const runbooksDir = (dir: string | undefined) => {
  loadDotEnv();
  return dir ?? process.env.RUNBOOKS_DIR ?? './runbooks';
};
runbooks
  .command('lint')
  .description('validate frontmatter, compile patterns, refuse catastrophic backtracking and overlaps; exit 1 on any error')
  .argument('[dir]', 'runbooks directory (default RUNBOOKS_DIR, else ./runbooks)')
  .action(async (dir: string | undefined) => {
    process.exitCode = await lintRunbooksCommand(runbooksDir(dir));
  });
runbooks
  .command('index')
  .description('write <dir>/README.md, the index of the runbooks, from their frontmatter')
  .argument('[dir]', 'runbooks directory (default RUNBOOKS_DIR, else ./runbooks)')
  .option('--check', 'write nothing; exit 1 when README.md is out of date')
  .action(async (dir: string | undefined, options: { check?: boolean }) => {
    process.exitCode = await indexRunbooksCommand(runbooksDir(dir), options);
  });

registerBulkCommands(program, setup);
registerReviewCommand(program, setup);

program
  .command('report')
  .description("build a day's report (figures from GlitchTip and Triage's tables), print it, keep its figures in metrics_history")
  .option('--date <YYYY-MM-DD>', 'the day, in REPORT_TZ (default: yesterday)')
  .option('--dry-run', 'store nothing')
  .option('--png <file>', 'write the 14-day chart to this PNG file')
  .action(async (options: { date?: string; dryRun?: boolean; png?: string }) => {
    const { config, logger } = setup();
    process.exitCode = await reportCommand(config, logger, options);
  });

program
  .command('investigate')
  .description('investigate an issue (frames -> files -> suspect commits -> similar closed issues) and print the report; the worker comments on the issue')
  .argument('[issueId]', 'GlitchTip issue id')
  .option('--stack <file>', 'investigate a pasted stack trace (Node/V8, TypeScript, Python) instead of an issue')
  .option('--repo <path>', 'git checkout to investigate in (default REPO_PATH / REPOS_FILE)')
  .option('--dry-run', 'print only: nothing is queued, posted or sent')
  .option('--json', 'frames, mapping, revision, suspects, similar issues and timings as JSON')
  .option('--no-cache', 'ignore the 24 h cache and run again')
  .action(async (issueId: string | undefined, options: InvestigateOptions) => {
    const { config } = setup();
    process.exitCode = await investigateCommand(config, issueId, options);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof MissingBinaryError) {
    console.error(error.message);
  } else if (!(error instanceof CommanderError)) {
    console.error('triage:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
