import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type RequestHandler } from 'express';
import { parseBasicAuth, secretMatcher } from './secret-compare';

export interface QueueBoardSettings {
  user: string;
  password: string;
  /** Hides retry, clean, remove, promote and add: the board only shows. */
  readOnly: boolean;
}

/** Bull Board over the given queues, every page and API call behind basic auth. Mount it at `basePath`. */
export function createQueueBoardRouter(queues: Queue[], settings: QueueBoardSettings, basePath: string): express.Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: settings.readOnly, allowRetries: !settings.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Triage queues' } },
  });
  const router = express.Router();
  router.use(requireBasicAuth(settings), serverAdapter.getRouter() as express.Router);
  return router;
}

function requireBasicAuth({ user, password }: QueueBoardSettings): RequestHandler {
  const userMatches = secretMatcher(user);
  const passwordMatches = secretMatcher(password);
  return (req, res, next) => {
    const presented = parseBasicAuth(req.headers.authorization);
    // Both comparisons always run, so the time taken does not tell whether the user name was right.
    const userOk = userMatches(presented?.user);
    const passwordOk = passwordMatches(presented?.password);
    if (userOk && passwordOk) return next();
    res.set('WWW-Authenticate', 'Basic realm="Triage queues", charset="UTF-8"').status(401).json({ error: 'authentication required' });
  };
}
