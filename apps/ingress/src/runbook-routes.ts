import type { Database } from '@triage/db';
import type { Logger } from '@triage/logger';
import { countClick, escapeHtml, renderRunbookPage, runbookNamePattern, runbookTargetUrl, type RunbookStore } from '@triage/runbooks';
import type express from 'express';

export interface RunbookRoutesDeps {
  store: RunbookStore;
  /** Without it clicks are not counted (the redirect still works). */
  db: Database | undefined;
  /** RUNBOOKS_BASE_URL: the redirect goes there instead of to /runbooks/<name>. */
  runbooksBaseUrl: string | undefined;
  logger: Logger;
}

/** Link previews and crawlers fetch links too; they are not people reading a runbook. */
const automatedAgents = /bot\b|bot\/|crawler|spider|preview|facebookexternalhit|slack|whatsapp|discord|curl\/|wget\//i;

const issuePattern = /^\d{1,20}$/;

/** Runbook pages allow their inline styles and nothing else: no scripts, frames or forms, whatever the markdown held. */
const pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function notFound(res: express.Response): void {
  res.status(404).type('text/plain').send('no such runbook');
}

/**
 * GET /runbooks (a list), /runbooks/<name> (one, as HTML) and /r/<name>?issue=<id> (the link put in comments and
 * alerts: counts the click, then redirects). A name is looked up in the loaded set, never joined to a path.
 */
export function mountRunbookRoutes(app: express.Express, deps: RunbookRoutesDeps): void {
  const lookup = async (name: unknown) => (typeof name === 'string' && runbookNamePattern.test(name) ? deps.store.byName(name) : undefined);

  app.get('/runbooks', async (_req, res) => {
    const runbooks = await deps.store.runbooks();
    const items = runbooks.map(({ runbook }) => `<li><a href="/runbooks/${escapeHtml(runbook.name)}">${escapeHtml(runbook.title)}</a></li>`).join('\n');
    res.set('Content-Security-Policy', pagePolicy).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Runbooks</title></head><body><h1>Runbooks</h1><ul>\n${items}\n</ul></body></html>`);
  });

  app.get('/runbooks/:name', async (req, res) => {
    const prepared = await lookup(req.params.name);
    if (!prepared) return notFound(res);
    res.set('Content-Security-Policy', pagePolicy).set('X-Content-Type-Options', 'nosniff').type('html').send(renderRunbookPage(prepared.runbook));
  });

  app.get('/r/:name', async (req, res) => {
    const prepared = await lookup(req.params.name);
    if (!prepared) return notFound(res);
    const name = prepared.runbook.name;
    const issue = typeof req.query.issue === 'string' && issuePattern.test(req.query.issue) ? req.query.issue : undefined;
    const person = req.method === 'GET' && !automatedAgents.test(req.get('user-agent') ?? '');
    if (person && deps.db) {
      try {
        await countClick(deps.db, { runbook: name, issueId: issue });
      } catch (error) {
        // Counting is secondary: the reader still gets the runbook.
        deps.logger.warn({ err: error, runbook: name }, 'runbook click not counted');
      }
    }
    res.set('Cache-Control', 'no-store').redirect(302, runbookTargetUrl(deps.runbooksBaseUrl, name));
  });
}
