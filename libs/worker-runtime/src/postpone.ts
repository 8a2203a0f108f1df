import { DelayedError, RateLimitError } from 'bullmq';
import type { HandlerContext } from './job-handler';

/**
 * Waits without spending an attempt. A chat's own budget delays only this job; the global budget holds every chat
 * anyway, so it pauses the queue (worker.rateLimit).
 */
export async function postponeJob(context: Pick<HandlerContext<unknown>, 'job' | 'token' | 'worker'>, wait: { ms: number; reason: string }): Promise<never> {
  if (wait.reason === 'global') {
    await context.worker.rateLimit(wait.ms);
    throw new RateLimitError();
  }
  // Spread jobs that waited on the same chat so they do not all wake in the same millisecond.
  const jitter = Math.round(Math.random() * Math.min(250, wait.ms * 0.1));
  await context.job.moveToDelayed(Date.now() + Math.max(wait.ms, 10) + jitter, context.token);
  throw new DelayedError();
}
