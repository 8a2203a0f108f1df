import type { Queue } from 'bullmq';
import type { DatabaseHandle } from '@triage/db';
import { defaultStuckAfterMs, isStuck, JobStats, readQueueStates, stuckReason } from '@triage/health';
import { glitchtipBreakerKey } from '@triage/queue';
import type { Redis } from 'ioredis';

export type Readiness = {
  status: 'ok' | 'degraded' | 'unavailable';
  redis: 'up' | 'down';
  postgres: 'up' | 'down' | 'not configured';
  /** Services that are down, when status is 'unavailable'. */
  down?: string[];
  /** The GlitchTip circuit breaker a worker keeps in Redis ('open' makes the status 'degraded'), when it has written one. */
  glitchtipBreaker?: string;
  /** Queues with jobs waiting and nothing completed for a while (workers stuck or gone), one line each. */
  stuckQueues?: string[];
};

export interface ReadinessDeps {
  redis: Redis;
  db?: DatabaseHandle;
  prefix: string;
  deadlineMs?: number;
  /** Checked for stuck queues when given. */
  queues?: Queue[];
  stuckAfterMs?: number;
  now?: () => Date;
}

/** One line per stuck queue (a read that overruns the deadline counts as none: Redis is then reported on its own). */
async function stuckQueues(queues: Queue[], redis: Redis, prefix: string, stuckAfterMs: number, now: Date): Promise<string[]> {
  const states = await readQueueStates(queues, new JobStats(redis, prefix));
  return states.filter((state) => isStuck(state, now, stuckAfterMs)).map((state) => stuckReason(state, now));
}

/** Pings Redis and Postgres in parallel, each bounded, so a hung service makes /readyz answer 503 rather than hang. */
export async function checkReadiness({ redis, db, prefix, deadlineMs = 2_000, queues = [], stuckAfterMs = defaultStuckAfterMs, now = () => new Date() }: ReadinessDeps): Promise<Readiness> {
  const [redisUp, postgresUp, breaker, stuck] = await Promise.all([
    withinDeadline(redis.ping().then((reply) => reply === 'PONG'), deadlineMs),
    db ? withinDeadline(db.ping(), deadlineMs) : Promise.resolve(undefined),
    withinDeadline(redis.get(glitchtipBreakerKey(prefix)), deadlineMs),
    queues.length > 0 ? withinDeadline(stuckQueues(queues, redis, prefix, stuckAfterMs, now()), deadlineMs) : Promise.resolve([]),
  ]);
  const readiness: Readiness = {
    status: 'ok',
    redis: redisUp ? 'up' : 'down',
    postgres: postgresUp === undefined ? 'not configured' : postgresUp ? 'up' : 'down',
  };
  const down = [readiness.redis === 'down' && 'redis', readiness.postgres === 'down' && 'postgres'].filter((name): name is string => !!name);
  const breakerState = breakerStateOf(typeof breaker === 'string' ? breaker : null);
  if (breakerState !== undefined) readiness.glitchtipBreaker = breakerState;
  if (Array.isArray(stuck) && stuck.length > 0) {
    readiness.stuckQueues = stuck;
    down.push('queues');
  }
  if (down.length > 0) return { ...readiness, status: 'unavailable', down };
  return { ...readiness, status: breakerState === 'open' ? 'degraded' : 'ok' };
}

/** The worker may store the bare state ("open") or a JSON object with a `state` field. */
function breakerStateOf(value: string | null): string | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (value.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as { state?: unknown };
      if (typeof parsed.state === 'string') return parsed.state;
    } catch {
      // not JSON after all: report it as written
    }
  }
  return value.trim();
}

async function withinDeadline<T>(operation: Promise<T>, deadlineMs: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  try {
    return await Promise.race([operation.catch(() => false as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
