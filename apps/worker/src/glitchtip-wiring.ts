import type { Redis } from 'ioredis';
import type { Config } from '@triage/config';
import { GlitchTipClient, SharedRateLimiter, triageRequiredScopes, type GlitchTipClientOptions } from '@triage/glitchtip';
import type { Logger } from '@triage/logger';
import { glitchtipBreakerKey } from '@triage/queue';
import { SwitchedOffGlitchTipClient } from './integration-switch';

/** The API client when GLITCHTIP_BASE_URL is set; its token is checked at start-up and missing scopes are named. */
export async function createGlitchTipClient(config: Config, logger: Logger, redis: Redis): Promise<GlitchTipClient | undefined> {
  const { baseUrl, apiToken, org, integrationEnabled } = config.glitchtip;
  if (!baseUrl || !apiToken) {
    logger.info('GlitchTip API not configured: webhook-only mode (alerts carry the webhook data alone)');
    return undefined;
  }
  const log = logger.child({ component: 'glitchtip' });
  const options: GlitchTipClientOptions = {
    baseUrl,
    token: apiToken,
    org,
    logger: log,
    dryRun: config.dryRun,
    integrationEnabled,
    // 10 requests/s, 100/min, 2 at once: for all worker processes on this Redis together, not each.
    limiter: new SharedRateLimiter({ redis, prefix: config.queuePrefix }),
    onBreakerChange: (state) => {
      redis.set(glitchtipBreakerKey(config.queuePrefix), state).catch((error) => log.warn({ err: error }, 'could not publish the breaker state'));
    },
  };
  const client = integrationEnabled ? new GlitchTipClient(options) : new SwitchedOffGlitchTipClient(options, log);
  await redis.set(glitchtipBreakerKey(config.queuePrefix), 'closed').catch(() => undefined);
  if (!integrationEnabled) {
    log.warn('GLITCHTIP_INTEGRATION_ENABLED=false: no GlitchTip calls at all');
    return client;
  }
  // Checked in the background: a slow or unreachable GlitchTip must not hold up the workers (alerts still go out
  // with the webhook data), and the answer only informs the log.
  void client
    .validateToken(triageRequiredScopes)
    .then((validation) => {
      if (validation.ok) log.info({ scopes: validation.scopes }, 'GlitchTip token accepted');
      else log.error({ missing: validation.missing, problems: validation.problems }, 'GlitchTip token is not usable as configured; features that need the missing scopes will fail');
    })
    .catch((error: unknown) => log.error({ err: error }, 'could not validate the GlitchTip token at start-up; continuing (the breaker guards further calls)'));
  return client;
}
