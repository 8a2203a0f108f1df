import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '@triage/config';
import { runMigrations } from '@triage/db';
import { ensureWebhookToken } from '@triage/embedded';
import { parseReposFile } from '@triage/investigation';
import type { Logger } from '@triage/logger';
import { parseRoles, repoRoot, roleEntryPoints, type RoleName } from '../roles';
import { provideServices } from './local-services';

interface SupervisedRole {
  role: RoleName;
  child: ChildProcess | undefined;
  restarts: number;
}

/** `triage start`: services, migrations, then each role as its own process; Ctrl-C stops them all, in order. */
export async function startCommand(config: Config, logger: Logger, options: { only?: string }): Promise<void> {
  // loadConfig has already read and checked ROUTES_FILE (and that REPOS_FILE is readable): a bad one stopped us
  // before this line. REPOS_FILE's own parser lives with the investigation; check the file with it here, still before
  // anything starts.
  checkReposFile(config);
  for (const warning of config.warnings) logger.warn(warning);
  const asked = parseRoles(options.only);
  const roles = asked.filter((role) => {
    if (role === 'bot' && !config.telegram.botToken) {
      logger.info('bot not started: TELEGRAM_BOT_TOKEN is unset (alerts go to the log)');
      return false;
    }
    if (!fs.existsSync(roleEntryPoints[role])) {
      logger.warn({ role }, 'this build has no such process yet; skipped');
      return false;
    }
    return true;
  });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const services = await provideServices(config, logger, { redis: true, postgres: true, owner: true });
  const { applied } = await runMigrations(services.databaseUrl);
  logger.info({ applied }, applied > 0 ? 'migrations applied' : 'database schema is up to date');
  const webhookToken = config.webhookToken ?? ensureWebhookToken(config.dataDir);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: services.redisUrl,
    DATABASE_URL: services.databaseUrl,
    WEBHOOK_TOKEN: webhookToken,
    DATA_DIR: config.dataDir,
    TRIAGE_SUPERVISOR_PID: String(process.pid),
    TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.json'),
  };
  let stopping = false;
  const supervised: SupervisedRole[] = roles.map((role) => ({ role, child: undefined, restarts: 0 }));

  const launch = (entry: SupervisedRole) => {
    // Own process group: the terminal's Ctrl-C reaches only this supervisor, which stops the roles in order.
    const child = spawn(process.execPath, ['--import', 'tsx', roleEntryPoints[entry.role]], {
      cwd: process.cwd(),
      env: childEnv,
      stdio: 'inherit',
      detached: true,
    });
    entry.child = child;
    child.once('exit', (code, signal) => {
      if (stopping) return;
      entry.restarts += 1;
      const delay = Math.min(1_000 * 2 ** Math.min(entry.restarts - 1, 5), 30_000);
      logger.error({ role: entry.role, code, signal, restartInMs: delay }, 'process exited unexpectedly; restarting');
      setTimeout(() => !stopping && launch(entry), delay).unref();
    });
  };
  supervised.forEach(launch);
  process.once('exit', () => supervised.forEach((entry) => entry.child?.exitCode === null && entry.child.kill('SIGKILL')));

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping Triage: processes first, then Postgres and Redis');
    await Promise.all(
      supervised.map(async ({ role, child }) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          logger.warn({ role }, 'did not stop in time; killing');
          child.kill('SIGKILL');
        }, config.worker.shutdownTimeoutMs + 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await services.stop();
    logger.info('Triage stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (roles.includes('ingress')) await waitForHealth(config.port, 30_000).catch((error: Error) => logger.warn(error.message));
  printBanner(config, roles, services.describe, webhookToken);
}

function checkReposFile(config: Config): void {
  const file = config.repo.reposFile;
  if (file === undefined) return;
  const { problems } = parseReposFile(fs.readFileSync(file, 'utf8'), file);
  if (problems.length > 0) throw new ConfigError(problems);
}

async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the ingress did not answer /healthz on port ${port} within ${timeoutMs} ms`);
}

function printBanner(config: Config, roles: RoleName[], services: { redis: string; postgres: string }, webhookToken: string): void {
  const lines = [
    '',
    'Triage is running.',
    `  processes  ${roles.join(', ')}`,
    `  ingress    http://localhost:${config.port}  (health: /healthz, readiness: /readyz, metrics: /metrics)`,
    `  webhook    ${config.publicUrl}/api/glitchtip-webhook?token=${webhookToken}`,
    '             paste this URL into GlitchTip: Project settings > Alerts > add recipient "Webhook"',
    `  redis      ${services.redis}`,
    `  postgres   ${services.postgres}`,
    config.board ? `  dashboard  http://localhost:${config.port}/admin/queues (user ${config.board.user})` : '  dashboard  off (set BOARD_USER and BOARD_PASSWORD)',
    `  glitchtip  ${config.glitchtip.baseUrl ?? 'no API configured: webhook-only mode (set GLITCHTIP_BASE_URL and GLITCHTIP_API_TOKEN)'}`,
    `  telegram   ${config.telegram.botToken ? `chat ${config.telegram.chatId ?? '(routes file)'}` : 'off: alerts go to the log (set TELEGRAM_BOT_TOKEN)'}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
