import { fetchRepos } from '@triage/contracts';
import { fetchCheckouts } from '@triage/investigation';
import { defineHandler } from '@triage/worker-runtime';
import type { WorkerDeps } from '../worker-deps';

/** `git fetch` of every configured checkout on REPO_FETCH_CRON, so investigations see history nobody pulled. */
export const fetchReposHandler = defineHandler<WorkerDeps, typeof fetchRepos>({
  contract: fetchRepos,
  concurrency: 1,
  schedules: (deps) =>
    deps.config.components.investigationHelper && (deps.config.repo.path || deps.config.repo.reposFile)
      ? [{ id: 'fetch-repos-v1', repeat: { pattern: deps.config.repo.fetchCron, tz: deps.config.dailyReport.timeZone }, data: {} }]
      : [],
  async handle(payload, { deps, log }) {
    const results = await fetchCheckouts(deps.config, payload.project);
    for (const result of results) {
      if (result.ok) log.info({ project: result.project, path: result.path }, 'repository fetched');
      else log.warn({ project: result.project, path: result.path, problem: result.problem }, 'repository not fetched');
    }
    return { fetched: results.filter((result) => result.ok).length, failed: results.filter((result) => !result.ok).map((result) => `${result.project}: ${result.problem}`) };
  },
});
