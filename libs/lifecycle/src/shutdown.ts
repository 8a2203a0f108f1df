import type { Logger } from '@triage/logger';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * One ordered shutdown for every process: on SIGINT/SIGTERM run the steps in order (stop intake, close workers,
 * close Postgres and Redis), each failure logged but not stopping the rest, then exit 0. A second signal exits at once.
 */
export function runUntilSignal(logger: Logger, steps: ShutdownStep[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const step of steps) {
      const started = performance.now();
      try {
        await step.run();
        logger.debug({ step: step.name, durationMs: Math.round(performance.now() - started) }, 'shutdown step done');
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    logger.flush?.();
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A stray rejected promise (a library's background call, a forgotten await) is a bug to log, not a reason to drop
  // every job in flight; an uncaught exception leaves the process in an unknown state, so it stops in order.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; shutting down');
    process.exitCode = 1;
    void stop('uncaughtException');
  });
  watchSupervisor(() => void stop('supervisor gone'));
}

/**
 * Roles started by `triage start` run in their own process groups (so Ctrl-C reaches the supervisor first). If the
 * supervisor itself is killed outright, nothing would stop them: they notice the supervisor is gone and shut down.
 */
function watchSupervisor(onGone: () => void): void {
  const supervisorPid = Number(process.env.TRIAGE_SUPERVISOR_PID);
  if (!Number.isInteger(supervisorPid) || supervisorPid <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(supervisorPid, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, 1_000);
  timer.unref();
}
