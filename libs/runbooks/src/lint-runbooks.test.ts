import { describe, expect, it } from '@jest/globals';
import { lintRunbooks, type RunbookFile } from './lint-runbooks';
import { formatProblem } from './runbook';

const body = '\n# Title\n\n## Symptoms\n\n## Diagnosis\n\n## Fix\n\n## Prevention\n';

function file(name: string, frontmatter: string, text = body): RunbookFile {
  return { file: `runbooks/${name}.md`, text: `---\n${frontmatter}\n---\n${text}` };
}

function messages(files: RunbookFile[]): string[] {
  return lintRunbooks(files).problems.map(formatProblem);
}

describe('lintRunbooks', () => {
  it('accepts a well-formed runbook with no problems', () => {
    expect(messages([file('db-pool', "patterns:\n  - 'pool exhausted'\n  - title: 'too many clients'\nlevels: error+")])).toEqual([]);
  });

  it.each([
    ['bad YAML', "patterns: ['pool exhausted'\n", /^runbooks\/x\.md:[23]: error: invalid YAML/],
    ['a missing field', 'priority: 3', /^runbooks\/x\.md:2: error: patterns: .*(expected array|Required|required)/i],
    ['an unknown field (a typo)', "pattern: ['x']\npatterns: ['y']", /^runbooks\/x\.md:2: error: .*pattern/i],
    ['a level that does not exist', "patterns: ['x']\nlevels: critical+", /^runbooks\/x\.md:3: error: levels: /],
    ['an invalid regex', "patterns:\n  - 'fine'\n  - 'unclosed (group'", /^runbooks\/x\.md:4: error: pattern \/unclosed \(group\/ does not compile: /],
    ['a backreference RE2 cannot run', "patterns:\n  - '(a)\\1'", /^runbooks\/x\.md:3: error: pattern \/\(a\)\\1\/ does not compile: .*invalid escape/],
    ['a catastrophic pattern', "patterns:\n  - 'timeout'\n  - '(a+)+$'", /^runbooks\/x\.md:4: error: pattern \/\(a\+\)\+\$\/ can backtrack catastrophically \(exponential/],
    ['a polynomial pattern', "patterns:\n  - '\\s*x\\s*\\s*y'", /^runbooks\/x\.md:3: error: pattern .* can backtrack catastrophically \(\d\w+ degree polynomial/],
    ['a pattern that matches everything', "patterns:\n  - 'x?'", /^runbooks\/x\.md:3: error: pattern \/x\?\/ matches the empty text/],
    ['no frontmatter', null, /^runbooks\/x\.md:1: error: no frontmatter/],
  ])('refuses %s with file:line', (_case, frontmatter, expected) => {
    const input = frontmatter === null ? { file: 'runbooks/x.md', text: '# Just markdown\n' } : file('x', frontmatter);
    const found = messages([input]);
    expect(found.some((line) => expected.test(line))).toBe(true);
  });

  it('reports an example its own patterns do not match', () => {
    expect(messages([file('x', "patterns: ['pool exhausted']\nexamples: ['connection refused']")])).toEqual([
      'runbooks/x.md:3: error: example "connection refused" matches none of the runbook\'s patterns',
    ]);
  });

  it('refuses overlapping runbooks of equal priority and warns when a priority decides', () => {
    const redis = file('redis', "patterns:\n  - 'ECONNREFUSED [0-9.]+:6379'");
    const network = file('network', "patterns:\n  - 'connect ECONNREFUSED'\n  - 'ECONNREFUSED'");
    expect(messages([redis, network])).toEqual([
      'runbooks/redis.md:3: error: patterns overlap with runbooks/network.md: "ECONNREFUSED 0:6379" matches both, and both have priority 0; narrow a pattern or give one a higher priority',
    ]);
    const prioritised = file('redis', "patterns:\n  - 'ECONNREFUSED [0-9.]+:6379'\npriority: 5");
    expect(messages([prioritised, network])).toEqual([expect.stringMatching(/^runbooks\/.*:3: warning: patterns overlap .* \(priority 5 wins\)$/)]);
  });

  it('finds overlaps through examples, and not between runbooks restricted to different components', () => {
    const api = file('api-timeouts', "patterns: ['request timed out']\ncomponents: [api]\nexamples: ['Upstream request timed out after 30s']");
    const upstream = file('upstream', "patterns: ['upstream']\ncomponents: [api, worker]");
    expect(messages([api, upstream])).toEqual([expect.stringMatching(/overlap .*"Upstream request timed out after 30s" matches both/)]);
    const workerOnly = file('upstream', "patterns: ['upstream']\ncomponents: [worker]");
    expect(messages([api, workerOnly])).toEqual([]);
  });

  it('warns about missing body sections and repeated patterns', () => {
    const found = messages([file('x', "patterns:\n  - 'a b'\n  - 'a b'", '\n# Only a title\n\n## Fix\n')]);
    expect(found).toEqual([
      'runbooks/x.md:4: warning: pattern /a b/ repeats line 3',
      'runbooks/x.md:6: warning: the body has no "## Symptoms" section',
      'runbooks/x.md:6: warning: the body has no "## Diagnosis" section',
      'runbooks/x.md:6: warning: the body has no "## Prevention" section',
    ]);
  });
});
