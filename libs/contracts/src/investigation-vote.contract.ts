import { z } from 'zod';
import { defineJob, retryPolicy, safeJobId } from '@triage/queue';

export const investigationVotes = ['helpful', 'not-helpful'] as const;

export const investigationVoteSchema = z.object({
  /** The `investigations` row the summary message was about. */
  investigationId: z.number().int().positive(),
  vote: z.enum(investigationVotes),
  actor: z.object({ userId: z.number().int(), username: z.string().min(1).max(64).optional() }),
  chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/),
  messageId: z.number().int().positive().optional(),
  /** The callback query id: a redelivered press records once. */
  requestId: z.string().min(1).max(100),
});
export type InvestigationVotePayload = z.output<typeof investigationVoteSchema>;

export const investigationVote = defineJob({
  name: 'investigation-vote',
  description: 'Store a Helpful / Not helpful vote on an investigation and audit it',
  schema: investigationVoteSchema,
  defaultOptions: retryPolicy(5, 2_000),
  jobId: (payload) => safeJobId('investigation-vote', payload.requestId),
});

/**
 * Vote button data: `v1|h|<investigation id>` (helpful) or `v1|n|<id>` (not helpful), beside the alert buttons'
 * `v1|<code>|<issue id>` codes (callback-data.ts), whose decoder refuses `h` and `n`, so a press is never taken for
 * an issue action.
 */
const voteCodes = { helpful: 'h', 'not-helpful': 'n' } as const;
export type InvestigationVote = (typeof investigationVotes)[number];

export function encodeVoteCallback(investigationId: number, vote: InvestigationVote): string {
  if (!Number.isSafeInteger(investigationId) || investigationId < 1) throw new RangeError(`not an investigation id: ${investigationId}`);
  return `v1|${voteCodes[vote]}|${investigationId}`;
}

export function decodeVoteCallback(data: string): { investigationId: number; vote: InvestigationVote } | undefined {
  const match = /^v1\|([hn])\|([1-9]\d{0,15})$/.exec(data);
  if (!match) return undefined;
  return { investigationId: Number(match[2]), vote: match[1] === 'h' ? 'helpful' : 'not-helpful' };
}
