// PM2 process file for production (`pm2 start ecosystem.config.js`): one app per role, fork mode, no cron_restart
// (schedules are BullMQ job schedulers). Set REDIS_URL, DATABASE_URL, WEBHOOK_TOKEN and the rest in the environment
// or in .env, and run `npx triage migrate` once per release before (re)starting.
const tsx = '--import tsx';
const shared = {
  exec_mode: 'fork',
  interpreter: 'node',
  interpreter_args: tsx,
  cwd: __dirname,
  autorestart: true,
  max_restarts: 20,
  exp_backoff_restart_delay: 1000,
  // SHUTDOWN_TIMEOUT_MS (default 60 s) for active jobs to finish, plus margin for closing Redis and Postgres.
  kill_timeout: 75000,
  env: { NODE_ENV: 'production', TSX_TSCONFIG_PATH: `${__dirname}/tsconfig.json` },
};

module.exports = {
  apps: [
    { ...shared, name: 'triage-ingress', script: 'apps/ingress/src/main.ts', kill_timeout: 15000 },
    { ...shared, name: 'triage-bot', script: 'apps/bot/src/main.ts', kill_timeout: 15000 },
    // Alerts are latency-sensitive: their own worker, so a long investigation never delays a page.
    { ...shared, name: 'triage-worker-alerts', script: 'apps/worker/src/main.ts', args: '--queues process-alert,send-alert,poll-issues' },
    { ...shared, name: 'triage-worker-background', script: 'apps/worker/src/main.ts', args: '--queues investigate,link-runbook,daily-report' },
  ],
};
