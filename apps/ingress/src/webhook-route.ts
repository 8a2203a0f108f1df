import { EnqueueUnavailableError, InvalidPayloadError } from '@triage/queue';
import type { Logger } from '@triage/logger';
import { parseGlitchTipWebhook } from '@triage/webhook';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { enqueueAlertSignals, enqueueProjectPoll, type IntakeDeps } from './alert-intake';
import type { IngressMetrics } from './ingress-metrics';
import { secretMatcher } from './secret-compare';

export const webhookPath = '/api/glitchtip-webhook';

export interface WebhookRouteDeps extends IntakeDeps {
  logger: Logger;
  metrics: IngressMetrics;
  webhookToken: string;
  /** DISABLE_WEBHOOK_HANDLER: answer 503 so GlitchTip's side shows a failure instead of an alert silently dropped. */
  enabled: boolean;
  bodyLimit?: string;
}

/**
 * POST /api/glitchtip-webhook?token=T and /api/glitchtip-webhook/T. Checks run cheapest first (token, switch,
 * content type, then the body), and nothing touches Redis before the body has proved to be an alert. Registered on
 * the app itself as ONE handler that runs the checks in turn: a sub-router costs a prefix match and a params pass,
 * and each extra Express layer a dispatch, on every request.
 */
export function mountWebhookRoutes(app: express.Express, deps: WebhookRouteDeps): void {
  const { logger, metrics } = deps;
  const countAnswer = (status: number) => metrics.httpRequests.inc({ route: webhookPath, status: String(status) });
  const reject = (res: Response, status: number, reason: string) => {
    logger.warn({ status, reason }, 'webhook rejected');
    sendJson(res, status, { error: reason });
    countAnswer(status);
  };

  const tokenMatches = secretMatcher(deps.webhookToken);
  // The content type is already checked, so parse whatever arrived.
  const parseJson = express.json({ limit: deps.bodyLimit ?? '256kb', type: () => true });
  const checkThenParse: RequestHandler = (req, res, next) => {
    if (!tokenMatches(presentedToken(req))) return reject(res, 401, 'missing or wrong webhook token');
    if (!deps.enabled) return reject(res, 503, 'webhook handler disabled');
    if (!isJson(req.headers['content-type'])) {
      return reject(res, 415, `Content-Type must be application/json, got ${req.headers['content-type']?.slice(0, 100) ?? 'none'}`);
    }
    parseJson(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      accept(req, res).catch(next);
    });
  };

  const accept = async (req: Request, res: Response): Promise<void> => {
    const parsed = parseGlitchTipWebhook(req.body);
    if (!parsed.ok) return reject(res, 400, parsed.reason);
    const stopTimer = metrics.enqueueDuration.startTimer();
    try {
      const receivedAt = new Date();
      const result = await enqueueAlertSignals(deps, parsed.signals, receivedAt, parsed.totalIssues);
      const projectPoll = await enqueueProjectPoll(deps, parsed.signals, parsed.totalIssues, receivedAt);
      if (projectPoll) result.projectPoll = projectPoll;
      stopTimer({ outcome: 'accepted' });
      metrics.alertJobs.inc({ result: 'enqueued' }, result.enqueued);
      metrics.alertJobs.inc({ result: 'duplicate' }, result.duplicates);
      logger.info(
        {
          format: parsed.format,
          issueIds: parsed.signals.flatMap((signal) => (signal.kind === 'issue' ? [signal.issueId] : [])),
          monitorIds: parsed.signals.flatMap((signal) => (signal.kind === 'uptime' ? [signal.monitorId] : [])),
          totalIssues: parsed.totalIssues,
          enqueued: result.enqueued,
          duplicates: result.duplicates,
        },
        'webhook accepted',
      );
      sendJson(res, 202, result);
      countAnswer(202);
    } catch (error) {
      if (error instanceof EnqueueUnavailableError) {
        stopTimer({ outcome: 'unavailable' });
        logger.error({ err: error }, 'webhook not enqueued: Redis unavailable');
        return reject(res, 503, 'alert could not be queued: Redis is unavailable');
      }
      stopTimer({ outcome: 'invalid' });
      if (error instanceof InvalidPayloadError) return reject(res, 400, `not a GlitchTip alert: ${error.problems.join('; ')}`);
      throw error;
    }
  };

  const bodyErrors: ErrorRequestHandler = (error: { type?: string; status?: number; message?: string }, _req, res, next) => {
    switch (error.type) {
      case 'entity.too.large':
        return reject(res, 413, `body larger than ${deps.bodyLimit ?? '256kb'}`);
      case 'entity.parse.failed':
        return reject(res, 400, `malformed JSON: ${error.message}`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return reject(res, 415, error.message ?? 'unsupported encoding');
      default:
        if (error.status !== undefined && error.status >= 400 && error.status < 500) return reject(res, error.status, error.message ?? 'bad request');
        // The app's last handler answers 500; count it here, since the counting middleware comes after these routes.
        res.once('finish', () => countAnswer(res.statusCode));
        next(error);
    }
  };

  app.post([webhookPath, `${webhookPath}/:token`], checkThenParse);
  app.use(webhookPath, bodyErrors);
}

/**
 * res.json without what a webhook answer does not need: no ETag (a hash of every body) and no charset rewriting.
 * GlitchTip reads neither; at webhook rates each costs measurable throughput.
 */
function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** application/json or application/*+json, any parameters (charset): what req.is() accepts, without its parsing. */
export function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json') && !type.slice(12, -5).includes('/'));
}

function presentedToken(req: Request): string | undefined {
  const fromPath = req.params.token;
  if (typeof fromPath === 'string' && fromPath !== '') return fromPath;
  const fromQuery = req.query.token;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}
