import { z } from 'zod';
import { patternFields, runbookLevels, type RunbookLevel } from './runbook';

const regexText = z.string().trim().min(1, 'a pattern must not be empty').max(500, 'a pattern longer than 500 characters is hard to review');

/** `'pool exhausted'` looks at title, culprit and message; `{ title: '...' }` at one field. */
const patternEntry = z.union([
  regexText,
  z
    .object(Object.fromEntries(patternFields.map((field) => [field, regexText.optional()])) as Record<(typeof patternFields)[number], z.ZodOptional<typeof regexText>>)
    .strict()
    .refine((entry) => Object.values(entry).filter((value) => value !== undefined).length === 1, {
      message: `a field pattern names exactly one of ${patternFields.join(', ')}`,
    }),
]);

const nameList = z.array(z.string().trim().min(1).max(64)).min(1, 'leave the list out instead of making it empty');

/** `error+` means error and above; a list names levels one by one. */
const levels = z.union([
  z.array(z.enum(runbookLevels)).min(1, 'leave the list out instead of making it empty'),
  z
    .string()
    .regex(new RegExp(`^(${runbookLevels.join('|')})\\+$`), `a level, or a level followed by + (e.g. error+); levels are ${runbookLevels.join(', ')}`)
    .transform((text): RunbookLevel[] => runbookLevels.slice(runbookLevels.indexOf(text.slice(0, -1) as RunbookLevel))),
]);

export const frontmatterSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    patterns: z.array(patternEntry).min(1, 'a runbook needs at least one pattern'),
    components: nameList.optional(),
    levels: levels.optional(),
    environments: nameList.optional(),
    priority: z.number().int().min(-100).max(100).default(0),
    auto_link: z.boolean().default(true),
    examples: z.array(z.string().min(1).max(1000)).default([]),
  })
  .strict();

export type Frontmatter = z.output<typeof frontmatterSchema>;
