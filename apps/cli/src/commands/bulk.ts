import os from 'node:os';
import type { Command } from 'commander';
import type { Config } from '@triage/config';
import { bulkActions, type BulkAction } from '@triage/contracts';
import { connectDatabase } from '@triage/db';
import { GlitchTipClient } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { applyBulk, previewBulk, restoreBulk, type BulkDeps, type BulkTarget } from '@triage/outcomes';
import { provideServices } from './local-services';

/** The CLI may act on more issues than BULK_MAX (that limit is for Telegram); this keeps a typo from walking forever. */
export const cliBulkCap = 10_000;
const shownTitles = 10;

interface BulkOptions {
  query: string;
  project?: string;
  dryRun?: boolean;
  yes?: boolean;
}

const doneWord: Record<BulkAction, string> = { resolve: 'Resolved', ignore: 'Ignored' };

function actor(): string {
  return `cli:${os.userInfo().username}`;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function glitchtipFor(config: Config, logger: Logger): GlitchTipClient {
  const { baseUrl, apiToken, org, integrationEnabled } = config.glitchtip;
  if (!baseUrl || !apiToken) throw new Error('bulk actions need the GlitchTip API: set GLITCHTIP_BASE_URL and GLITCHTIP_API_TOKEN');
  if (!integrationEnabled) throw new Error('GLITCHTIP_INTEGRATION_ENABLED=false: Triage makes no GlitchTip calls, so no bulk action either');
  return new GlitchTipClient({ baseUrl, token: apiToken, org, logger: logger.child({ component: 'glitchtip' }), dryRun: config.dryRun, integrationEnabled });
}

/** Opens the database (DATABASE_URL or the embedded one) and the GlitchTip client for one command, and closes them. */
async function withBulkDeps<T>(config: Config, logger: Logger, run: (deps: BulkDeps) => Promise<T>): Promise<T> {
  const glitchtip = glitchtipFor(config, logger);
  const services = await provideServices(config, logger, { redis: false, postgres: true });
  const database = connectDatabase(services.databaseUrl, { max: 2 });
  try {
    return await run({
      db: database.db,
      glitchtip,
      dataDir: config.dataDir,
      log: logger,
      onProgress: (done, total) => process.stderr.write(`  ${done}/${total} issues written\n`),
    });
  } finally {
    await database.close();
    await services.stop();
  }
}

function printTargets(targets: BulkTarget[]): void {
  for (const target of targets.slice(0, shownTitles)) say(`  #${target.issueId}  [${target.status}]  ${target.title}`);
  if (targets.length > shownTitles) say(`  … and ${targets.length - shownTitles} more`);
}

/** `triage bulk resolve|ignore --query "…" [--project slug] [--dry-run] [--yes]`: preview, then (with --yes) backup and apply. */
export async function bulkCommand(config: Config, logger: Logger, action: BulkAction, options: BulkOptions): Promise<number> {
  return withBulkDeps(config, logger, async (deps) => {
    const apply = options.yes === true && options.dryRun !== true;
    const preview = await previewBulk(deps, {
      action,
      query: options.query,
      project: options.project,
      requestedBy: actor(),
      via: 'cli',
      maxIssues: cliBulkCap,
      dryRun: !apply,
    });
    if (preview.kind === 'invalid') throw new Error(`query refused: ${preview.error}`);
    if (preview.kind === 'too-many') throw new Error(`more than ${cliBulkCap} issues match "${preview.query}": narrow the query`);
    if (preview.kind === 'empty') {
      say(`No issue matches "${preview.query}"${options.project ? ` in project ${options.project}` : ''}. Nothing to do.`);
      return 0;
    }
    say(`${preview.targets.length} issue(s) match "${preview.query}"${options.project ? ` in project ${options.project}` : ''}${preview.addedUnresolved ? ' (is:unresolved added: say is:… to choose another status)' : ''}:`);
    printTargets(preview.targets);
    if (!apply || !preview.operation) {
      say(options.dryRun ? 'Dry run: nothing changed.' : `Nothing changed. Run again with --yes to ${action} them (every issue's status is backed up first).`);
      return 0;
    }
    const outcome = await applyBulk(deps, { operationId: preview.operation.id, actor: actor() });
    switch (outcome.kind) {
      case 'applied':
        say(`${outcome.dryRun ? 'DRY_RUN: would have ' + action + 'd' : doneWord[action]} ${outcome.written} issue(s)${outcome.skipped > 0 ? ` (${outcome.skipped} already so or gone)` : ''}.`);
        say(`Backup ${outcome.operation.id}: ${outcome.backupFile}`);
        say(`Undo with: triage bulk restore ${outcome.operation.id}`);
        return 0;
      case 'failed':
        say(`Failed after ${outcome.written} issue(s): ${outcome.error}`);
        if (outcome.backupFile) say(`The backup is complete: triage bulk restore ${outcome.operation.id} puts every issue back (${outcome.backupFile}).`);
        return 1;
      default:
        throw new Error(`the bulk action did not start (${outcome.kind})`);
    }
  });
}

/** `triage bulk restore <backup-id>`: every issue of that bulk action back to its backed-up status. */
export async function bulkRestoreCommand(config: Config, logger: Logger, backupId: string): Promise<number> {
  if (!/^\d{8}-[0-9a-f]{6}$/.test(backupId)) throw new Error(`"${backupId}" is not a backup id (like 20261203-a1b2c3)`);
  return withBulkDeps(config, logger, async (deps) => {
    const outcome = await restoreBulk(deps, { operationId: backupId, actor: actor() });
    switch (outcome.kind) {
      case 'not-found':
        throw new Error(`no bulk action ${backupId} in the database, and no backup file for it in ${config.dataDir}/backups`);
      case 'restored-from-file':
        say(`${outcome.dryRun ? 'DRY_RUN: would have restored' : 'Restored'} ${outcome.written} issue(s) of ${backupId} from ${outcome.file} (the database has no record of it).`);
        return 0;
      case 'file-failed':
        say(`Restore from ${outcome.file} stopped after ${outcome.written} issue(s): ${outcome.error}. Run it again to finish.`);
        return 1;
      case 'not-restorable':
        throw new Error(`bulk action ${backupId} is ${outcome.operation.state}${outcome.operation.backupFile ? '' : ' and has no backup (nothing was written)'}: nothing to restore`);
      case 'restored':
        say(`${outcome.dryRun ? 'DRY_RUN: would have restored' : 'Restored'} ${outcome.written} issue(s) of ${backupId} to their backed-up status.`);
        return 0;
      case 'failed':
        say(`Restore stopped after ${outcome.written} issue(s): ${outcome.error}. Run it again to finish.`);
        return 1;
    }
  });
}

/** Registers `bulk resolve|ignore|restore` on the program. */
export function registerBulkCommands(program: Command, setup: () => { config: Config; logger: Logger }): void {
  const bulk = program.command('bulk').description('resolve or ignore every issue a GlitchTip search matches, with a backup first; restore a backup');
  for (const action of bulkActions) {
    bulk
      .command(action)
      .description(`${action} every issue the query matches: a preview, then (--yes) a backup of each status and the writes in batches`)
      .requiredOption('--query <query>', 'GlitchTip search, e.g. "is:unresolved level:error environment:staging KeyError"')
      .option('--project <slug>', 'only issues of this project')
      .option('--dry-run', 'show what would change and stop')
      .option('--yes', 'apply without asking again (the preview is still printed)')
      .action(async (options: BulkOptions) => {
        const { config, logger } = setup();
        process.exitCode = await bulkCommand(config, logger, action, options);
      });
  }
  bulk
    .command('restore')
    .description('put every issue of a bulk action back to the status its backup holds')
    .argument('<backup-id>', 'the id a bulk action printed (also in DATA_DIR/backups/)')
    .action(async (backupId: string) => {
      const { config, logger } = setup();
      process.exitCode = await bulkRestoreCommand(config, logger, backupId);
    });
}
