import { z } from 'zod';
import { defineJob, retryPolicy } from '@triage/queue';

export const fetchReposSchema = z.object({
  /** Only this project's checkout; all of them when unset. */
  project: z.string().min(1).max(200).optional(),
});

export const fetchRepos = defineJob({
  name: 'fetch-repos',
  description: 'git fetch every configured checkout (never touching the working tree) so investigations see current history',
  schema: fetchReposSchema,
  defaultOptions: retryPolicy(1, 10_000),
});
