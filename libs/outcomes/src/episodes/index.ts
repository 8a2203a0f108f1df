export { holdoutGroupOf, holdoutBucketOf, experimentGroups, type ExperimentGroup } from './holdout';
export { helpActions, isClosed, type Episode, type EpisodeState, type HumanAction, type OutcomeEvent, type InvestigationVote, type ClosedAs, type ClosedVia } from './episode';
export { applyOutcomeEvent, replayOutcomeEvents, episodeDurations, type EpisodeChange } from './episode-machine';
export { recordOutcomeEvent, currentEpisode, episodesAlertedBetween, syncHelpFacts, experimentGroupOf } from './episode-repository';
