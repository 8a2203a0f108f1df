import { componentPattern, maxErrorsHours, maxMuteHours, parseBulkCommand, type BulkAction, type IssueAction } from '@triage/contracts';

/** What a slash command asks for once its arguments are checked; `usage` is the line to answer otherwise. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'issue-action'; action: Extract<IssueAction, 'resolve' | 'ignore' | 'investigate' | 'mute'>; issueId: string; hours?: number }
  | { kind: 'errors'; component?: string; hours: number }
  | { kind: 'stats'; period: '24h' | '7d' }
  | { kind: 'runbook'; issueId: string }
  | { kind: 'bulk'; action: BulkAction; query: string }
  | { kind: 'usage'; usage: string };

export const commandList = [
  { command: 'errors', args: '[component] [hours]', description: 'Top unresolved errors seen recently' },
  { command: 'stats', args: '[24h|7d]', description: 'Events, new issues and top issues' },
  { command: 'investigate', args: '<id>', description: 'Investigate an issue' },
  { command: 'resolve', args: '<id>', description: 'Resolve an issue' },
  { command: 'ignore', args: '<id>', description: 'Ignore an issue' },
  { command: 'mute', args: '<id> <hours>', description: 'Mute alerts of an issue for some hours' },
  { command: 'runbook', args: '<id>', description: 'The runbook for an issue, and why it matches' },
  { command: 'bulk', args: 'resolve|ignore <query>', description: 'Resolve or ignore every issue a GlitchTip search matches (preview, then Confirm)' },
  { command: 'help', args: '', description: 'List the commands' },
] as const;

export type CommandName = (typeof commandList)[number]['command'];
export const commandNames: CommandName[] = commandList.map((entry) => entry.command);

const examples: Record<CommandName, string> = {
  errors: '/errors checkout 6',
  stats: '/stats 7d',
  investigate: '/investigate 1042',
  resolve: '/resolve 1042',
  ignore: '/ignore 1042',
  mute: '/mute 1042 4',
  runbook: '/runbook 1042',
  bulk: '/bulk ignore level:warning environment:staging',
  help: '/help',
};

export function usageOf(command: CommandName): string {
  const entry = commandList.find((candidate) => candidate.command === command)!;
  return `Usage: /${command}${entry.args ? ` ${entry.args}` : ''} (e.g. ${examples[command]})`;
}

const issueIdPattern = /^[1-9]\d{0,19}$/;

/** `6`, `6h`, or `2d` as hours within 1..max; undefined when it is not one of those. */
export function parseHours(text: string, max: number): number | undefined {
  const match = /^(\d{1,5})([hd]?)$/i.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]) * (match[2]?.toLowerCase() === 'd' ? 24 : 1);
  return hours >= 1 && hours <= max ? hours : undefined;
}

/** `/resolve@triage_bot 1042` -> { command: 'resolve', args: ['1042'] }; not a command -> undefined. */
export function splitCommand(text: string): { command: string; args: string[] } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  const rest = match[2]?.trim() ?? '';
  return { command: match[1]!.toLowerCase(), args: rest === '' ? [] : rest.split(/\s+/) };
}

export function parseCommand(command: CommandName, args: string[]): ParsedCommand {
  const usage: ParsedCommand = { kind: 'usage', usage: usageOf(command) };
  switch (command) {
    case 'help':
      return { kind: 'help' };
    case 'bulk': {
      const bulk = parseBulkCommand(args);
      return 'usage' in bulk ? { kind: 'usage', usage: bulk.usage } : { kind: 'bulk', ...bulk };
    }
    case 'resolve':
    case 'ignore':
    case 'investigate':
    case 'runbook': {
      if (args.length !== 1 || !issueIdPattern.test(args[0]!)) return usage;
      return command === 'runbook' ? { kind: 'runbook', issueId: args[0]! } : { kind: 'issue-action', action: command, issueId: args[0]! };
    }
    case 'mute': {
      if (args.length !== 2 || !issueIdPattern.test(args[0]!)) return usage;
      const hours = parseHours(args[1]!, maxMuteHours);
      return hours === undefined ? usage : { kind: 'issue-action', action: 'mute', issueId: args[0]!, hours };
    }
    case 'stats': {
      if (args.length === 0) return { kind: 'stats', period: '24h' };
      const period = args.length === 1 ? args[0]!.toLowerCase() : undefined;
      if (period === '24h' || period === '1d') return { kind: 'stats', period: '24h' };
      if (period === '7d' || period === '1w') return { kind: 'stats', period: '7d' };
      return usage;
    }
    case 'errors': {
      if (args.length > 2) return usage;
      let component: string | undefined;
      let hours = 24;
      if (args.length === 2) {
        const parsed = parseHours(args[1]!, maxErrorsHours);
        if (parsed === undefined) return usage;
        [component, hours] = [args[0], parsed];
      } else if (args.length === 1) {
        // One argument: a number is the window, anything else the component.
        const parsed = /^\d/.test(args[0]!) ? parseHours(args[0]!, maxErrorsHours) : undefined;
        if (/^\d+[hd]?$/i.test(args[0]!) && parsed === undefined) return usage;
        if (parsed !== undefined) hours = parsed;
        else component = args[0];
      }
      if (component !== undefined && !componentPattern.test(component)) return usage;
      return { kind: 'errors', component, hours };
    }
  }
}

export function helpText(): string {
  const lines = commandList.map((entry) => `/${entry.command}${entry.args ? ` ${entry.args}` : ''}: ${entry.description}`);
  return ['Triage commands:', ...lines, '', 'Alert buttons: Acknowledge, Investigate, Resolve, Ignore, Mute 1h / 4h / 24h.'].join('\n');
}
