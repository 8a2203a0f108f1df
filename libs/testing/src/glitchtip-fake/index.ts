export {
  createGlitchTipFake,
  type GlitchTipFake,
  type GlitchTipFakeOptions,
  type GlitchTipFakeInjections,
  type RecordedRequest,
} from './fake-server';
export type { FakeIssue, FakeComment, FakeProject, FakeProjectAlert, SeedProjectAlertInput, SeedIssueInput, SeedEventInput, SdkFrame, NewEventInput } from './fake-store';
export type { FakeIssueStatus, FakeIssueLevel } from './issue-search';
