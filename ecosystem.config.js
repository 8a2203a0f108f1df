// PM2 process file for production (`pm2 start ecosystem.config.js`): one app per role, fork mode, no cron_restart
// (schedules are BullMQ job schedulers). Set REDIS_URL, DATABASE_URL, WEBHOOK_TOKEN and the rest in the environment
// or in .env; workers apply pending migrations at start (`npx triage migrate` does it by hand).
// This package is ESM: PM2 require()s this file, which Node >= 20.19 allows for ES modules, and reads `apps`.
const root = import.meta.dirname;

const shared = {
  exec_mode: 'fork',
  instances: 1,
  interpreter: 'node',
  interpreter_args: '--import tsx',
  cwd: root,
  autorestart: true,
  max_restarts: 20,
  exp_backoff_restart_delay: 1000,
  // SHUTDOWN_TIMEOUT_MS (default 60 s) for active jobs to finish, plus margin for closing Redis and Postgres.
  kill_timeout: 75000,
  env: { NODE_ENV: 'production', TSX_TSCONFIG_PATH: `${root}/tsconfig.json` },
};

export const apps = [
  { ...shared, name: 'triage-ingress', script: 'apps/ingress/src/main.ts', kill_timeout: 15000 },
  { ...shared, name: 'triage-bot', script: 'apps/bot/src/main.ts', kill_timeout: 15000 },
  // The queues this build has handlers for. When the investigation, runbook and report handlers land, give them a
  // second worker app so a long investigation never delays a page (a worker refuses queues it has no handler for).
  {
    ...shared,
    name: 'triage-worker-alerts',
    script: 'apps/worker/src/main.ts',
    args: '--queues process-alert,send-alert,issue-action,bot-command,poll-issues,ops-alert,daily-report,health-check,link-runbook,reconcile-delivery,bulk-preview,bulk-apply,weekly-review',
  },
  // Investigations (git blame, ripgrep) on their own process and concurrency: a slow repository never delays a page.
  {
    ...shared,
    name: 'triage-worker-investigate',
    script: 'apps/worker/src/main.ts',
    args: '--queues investigate,investigation-vote,investigation-summary,fetch-repos',
  },
];
