import { mean } from 'simple-statistics';
import { compareGroups } from './group-comparison';
import type { EpisodeFigures, ReviewInputs, WeeklyReview } from './review-types';

export const helpfulTarget = 0.8;

function valuesOf(episodes: EpisodeFigures[], group: EpisodeFigures['group'], pick: (episode: EpisodeFigures) => number | null): number[] {
  return episodes.filter((episode) => episode.group === group).flatMap((episode) => {
    const value = pick(episode);
    return value === null ? [] : [value];
  });
}

/**
 * The review's figures from its inputs. Groups are compared as assigned (intention to treat): a control issue whose
 * user asked for help anyway stays in control, and the crossovers are counted beside it.
 */
export function buildWeeklyReview(inputs: ReviewInputs): WeeklyReview {
  const { episodes } = inputs;
  const { helpful, notHelpful } = inputs.votes;
  const acknowledged = episodes.filter((episode) => episode.toAcknowledgeMinutes !== null);
  const resolveByWeek: WeeklyReview['resolveByWeek'] = [];
  for (const week of inputs.weeks) {
    for (const group of ['treatment', 'control'] as const) {
      const values = valuesOf(episodes.filter((episode) => episode.week === week.monday), group, (episode) => episode.toResolveMinutes);
      if (values.length > 0) resolveByWeek.push({ week: week.monday, group, meanMinutes: mean(values), n: values.length });
    }
  }
  const { posted, votedWrong } = inputs.runbookLinks;
  const cacheTotal = inputs.cache ? inputs.cache.hits + inputs.cache.misses : 0;
  return {
    weeks: inputs.weeks,
    timeZone: inputs.timeZone,
    holdoutPercent: inputs.holdoutPercent,
    episodes: {
      total: episodes.length,
      control: episodes.filter((episode) => episode.group === 'control').length,
      treatment: episodes.filter((episode) => episode.group === 'treatment').length,
      crossovers: episodes.filter((episode) => episode.crossover).length,
    },
    acknowledge: compareGroups(valuesOf(episodes, 'control', (episode) => episode.toAcknowledgeMinutes), valuesOf(episodes, 'treatment', (episode) => episode.toAcknowledgeMinutes)),
    resolve: compareGroups(valuesOf(episodes, 'control', (episode) => episode.toResolveMinutes), valuesOf(episodes, 'treatment', (episode) => episode.toResolveMinutes)),
    helpfulVotes: { helpful, notHelpful, share: helpful + notHelpful > 0 ? helpful / (helpful + notHelpful) : undefined, target: helpfulTarget },
    helpShownBeforeAction: {
      investigation: acknowledged.filter((episode) => episode.investigationShownBeforeAction).length,
      runbook: acknowledged.filter((episode) => episode.runbookShownBeforeAction).length,
      acknowledged: acknowledged.length,
    },
    runbookLinks: { posted, votedWrong, accuracy: votedWrong !== undefined && posted > 0 ? (posted - votedWrong) / posted : undefined },
    cacheHitRatio: inputs.cache && cacheTotal > 0 ? inputs.cache.hits / cacheTotal : undefined,
    jobs: inputs.jobs,
    usage: inputs.usage,
    resolveByWeek,
  };
}
