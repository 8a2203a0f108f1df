import { createHash } from 'node:crypto';
import { scrubPii } from '@triage/pii';
import type { Investigation } from './investigation';

/** Our comments carry this line; a retried job finds its earlier comment by it instead of posting a second one. */
export const reportMarkerPrefix = '[//]: # (triage-investigation';
/** Invisible in rendered markdown; names the issue and the findings' hash so a later run knows whether to edit. */
export function reportMarker(issueId: string, findingsHash: string): string {
  return `${reportMarkerPrefix} ${issueId} ${findingsHash})`;
}
export function isInvestigationComment(text: string): boolean {
  return text.includes(reportMarkerPrefix);
}
/** The issue id and findings hash of our comment, or undefined for any other comment. */
export function parseReportMarker(text: string): { issueId: string; findingsHash: string } | undefined {
  const match = /\[\/\/\]: # \(triage-investigation (\d+) ([0-9a-f]{8,64})\)/.exec(text.slice(0, 200));
  return match ? { issueId: match[1]!, findingsHash: match[2]! } : undefined;
}

/**
 * What the report says, without what changes every run (timings, dates of the run): two runs with the same findings
 * have the same hash, so the comment is edited only when something changed.
 */
export function findingsHash(investigation: Investigation): string {
  const findings = {
    revision: investigation.revision?.sha ?? null,
    files: investigation.mapping.map((frame) => [frame.file, frame.line]),
    suspects: investigation.suspects.map((suspect) => [suspect.sha, suspect.reasons]),
    similar: investigation.similar.map((similar) => [similar.issueId, similar.score, similar.comments]),
    timedOut: investigation.timedOut?.step ?? null,
    notes: investigation.notes,
  };
  return createHash('sha256').update(JSON.stringify(findings)).digest('hex').slice(0, 16);
}

/**
 * GlitchTip stores comments as unbounded text, but its UI and mail digests grow unusable long before that; the report
 * stays under this many characters (the marker included), dropping whole sections from the end first.
 */
export const maxReportChars = 12_000;
const maxFieldChars = 300;

/** Untrusted text as markdown: one line, no markup that could inject links, headings or HTML. */
export function inlineText(value: string | null | undefined, max = maxFieldChars): string {
  const flat = (value ?? '').replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return cut.replace(/([\\`*_{}[\]()+!|<>~])/g, '\\$1').replace(/^([#\s-]*)#/, '$1\\#');
}

function codeSpan(value: string): string {
  const flat = value.replace(/[\r\n`]+/g, ' ');
  return `\`${flat.length > maxFieldChars ? `${flat.slice(0, maxFieldChars)}…` : flat}\``;
}

function fileLink(webUrl: string | null | undefined, sha: string | undefined, file: string, line: number | null): string {
  const label = codeSpan(`${file}${line ? `:${line}` : ''}`);
  if (!webUrl || !sha) return label;
  const safePath = file.split('/').map(encodeURIComponent).join('/');
  return `[${label}](${webUrl}/blob/${sha}/${safePath}${line ? `#L${line}` : ''})`;
}

function section(title: string, lines: string[]): string {
  return [`### ${title}`, ...lines].join('\n');
}

function suspectsSection(investigation: Investigation): string | undefined {
  if (investigation.suspects.length === 0) return undefined;
  return section(
    'Suspect commits',
    investigation.suspects.map((suspect, index) => {
      const sha = suspect.url ? `[${suspect.sha.slice(0, 12)}](${suspect.url})` : codeSpan(suspect.sha.slice(0, 12));
      const head = `${index + 1}. ${sha} ${inlineText(suspect.subject)} — ${inlineText(suspect.author, 80)}, ${suspect.date.slice(0, 10)}`;
      return [head, ...suspect.reasons.map((reason) => `   - ${inlineText(reason)}`)].join('\n');
    }),
  );
}

function filesSection(investigation: Investigation): string | undefined {
  const mapped = investigation.mapping.filter((frame) => frame.file !== null).slice(0, 8);
  if (mapped.length === 0) return undefined;
  const webUrl = investigation.repository?.webUrl;
  const sha = investigation.revision?.sha;
  const lines: string[] = [];
  for (const frame of mapped) {
    const where = frame.frameIndex >= 0 ? `frame #${frame.frameIndex + 1}` : 'search';
    lines.push(`- ${fileLink(webUrl, sha, frame.file!, frame.line)} ${frame.function ? `in ${codeSpan(frame.function)} ` : ''}(${where}${frame.note ? `; ${inlineText(frame.note)}` : ''})`);
    if (frame.context.length > 0) {
      const width = String(frame.context[frame.context.length - 1]!.line).length;
      const code = frame.context.map((row) => `${row.line === frame.line ? '>' : ' '} ${String(row.line).padStart(width)} | ${row.text.replace(/```/g, "'''")}`);
      lines.push('', '  ```', ...code.map((row) => `  ${row}`), '  ```');
    }
  }
  return section('Files', lines);
}

function similarSection(investigation: Investigation): string | undefined {
  if (investigation.similar.length === 0) return undefined;
  return section(
    'Similar closed issues',
    investigation.similar.map((similar) => {
      const title = similar.url ? `[${inlineText(similar.title, 120)}](${similar.url})` : inlineText(similar.title, 120);
      const head = `- ${title} — ${similar.status}, similarity ${similar.score.toFixed(2)} (${similar.because.map((reason) => inlineText(reason)).join(', ')})`;
      const quotes = similar.comments.slice(0, 2).map((comment) => `  > ${inlineText(comment, 400)}`);
      return [head, ...quotes].join('\n');
    }),
  );
}

function headerSection(investigation: Investigation): string {
  const lines = [`## 🔎 Triage investigation`, `_Automated report by Triage; it may be wrong. Vote Helpful / Not helpful in Telegram._`];
  // The crash's own words, escaped to one inert line (renderReport scrubs PII from the whole body).
  const error = [investigation.exceptionType, investigation.message].filter((part): part is string => Boolean(part)).join(': ');
  if (error) lines.push('', `**Error:** ${inlineText(error)}`);
  if (investigation.revision) lines.push('', `**Revision:** ${codeSpan(investigation.revision.sha.slice(0, 12))} — ${inlineText(investigation.revision.why)}`);
  if (investigation.timedOut) lines.push('', `⚠️ **Partial report:** the ${investigation.timedOut.step} step timed out after ${Math.round(investigation.timedOut.afterMs / 1000)} s.`);
  for (const note of investigation.notes.filter((item) => !investigation.timedOut || !item.includes('limit'))) lines.push('', `_${inlineText(note)}_`);
  return lines.join('\n');
}

function timingsLine(investigation: Investigation): string {
  const parts = Object.entries(investigation.timings).map(([step, ms]) => `${step} ${ms} ms`);
  return `<sub>${inlineText(parts.join(' · '))}</sub>`;
}

/** The markdown comment for GlitchTip: PII-scrubbed, marked as automated, within maxReportChars. */
export function renderReport(investigation: Investigation): string {
  const marker = reportMarker(investigation.issueId, findingsHash(investigation));
  const sections = [headerSection(investigation), suspectsSection(investigation), filesSection(investigation), similarSection(investigation)].filter(
    (part): part is string => part !== undefined,
  );
  if (sections.length === 1 && investigation.mapping.every((frame) => frame.file === null)) sections.push('_No frame of this issue maps to a file of the repository._');
  sections.push(timingsLine(investigation));
  let body = scrubPii(sections.join('\n\n'));
  const budget = maxReportChars - marker.length - 2;
  while (body.length > budget && sections.length > 2) {
    sections.splice(sections.length - 2, 1);
    body = scrubPii(sections.join('\n\n'));
  }
  if (body.length > budget) body = `${body.slice(0, budget - 1)}…`;
  return `${marker}\n\n${body}`;
}

/** One or two lines for the alert message: top suspect, top file, top similar issue. Plain text (the renderer escapes). */
export function renderSummary(investigation: Investigation): string {
  const parts: string[] = [];
  const suspect = investigation.suspects.find((item) => !item.afterFirstSeen);
  if (suspect) parts.push(`suspect ${suspect.sha.slice(0, 8)} "${suspect.subject.slice(0, 60)}" by ${suspect.author.slice(0, 40)}`);
  const file = investigation.mapping.find((frame) => frame.file !== null);
  if (file) parts.push(`file ${file.file}${file.line ? `:${file.line}` : ''}`);
  const similar = investigation.similar[0];
  if (similar) parts.push(`similar #${similar.issueId} (${similar.status}, ${similar.score.toFixed(2)})`);
  if (parts.length === 0) parts.push(investigation.repository ? 'no frame maps to the repository' : 'no repository configured');
  if (investigation.timedOut) parts.push(`partial: ${investigation.timedOut.step} timed out`);
  return scrubPii(parts.join('; '));
}

/** Anything worth a comment: a mapped file, a suspect or a similar issue (else the comment would be noise on every issue). */
export function hasFindings(investigation: Investigation): boolean {
  return investigation.mapping.some((frame) => frame.file !== null) || investigation.suspects.length > 0 || investigation.similar.length > 0;
}
