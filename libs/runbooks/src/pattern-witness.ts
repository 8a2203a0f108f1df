/**
 * Sample texts a pattern matches, one per top-level alternative, taking the shortest choice everywhere
 * (`pool (is )?exhausted` -> `pool exhausted`). Lint tests them against other runbooks' patterns to find overlaps.
 * Covers the usual regex subset; for anything it does not understand (lookaround, backreferences) it gives none.
 */
export function patternWitnesses(source: string): string[] {
  const branches = splitTopLevel(source);
  if (!branches) return [];
  const witnesses: string[] = [];
  for (const branch of branches) {
    const text = sequenceWitness(branch);
    if (text !== undefined && text.trim() !== '') witnesses.push(text);
  }
  return witnesses;
}

/** Splits on `|` outside groups and classes; undefined when the brackets do not balance. */
function splitTopLevel(source: string): string[] | undefined {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      branches.push(source.slice(start, index));
      start = index + 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0 || inClass) return undefined;
  branches.push(source.slice(start));
  return branches;
}

const escapeSamples: Record<string, string> = { d: '1', w: 'a', s: ' ', D: 'x', W: ' ', S: 'x', b: '', B: '', n: '\n', t: '\t' };

/** One atom's sample and where the atom ends; undefined for constructs we do not model. */
function atomWitness(source: string, index: number): { text: string; end: number } | undefined {
  const char = source[index]!;
  if (char === '\\') {
    const next = source[index + 1];
    if (next === undefined || /[1-9k]/.test(next)) return undefined;
    return { text: escapeSamples[next] ?? next, end: index + 2 };
  }
  if (char === '.') return { text: 'x', end: index + 1 };
  if (char === '^' || char === '$') return { text: '', end: index + 1 };
  if (char === '[') {
    let end = index + 1;
    const negated = source[end] === '^';
    if (negated) end += 1;
    const first = end;
    while (end < source.length && (source[end] !== ']' || end === first)) end += source[end] === '\\' ? 2 : 1;
    const body = source.slice(first, end);
    let text = negated ? (body.includes('#') ? '~' : '#') : body[0] === '\\' ? escapeSamples[body[1] ?? ''] ?? body[1] ?? '' : body[0] ?? '';
    if (text === '' && !negated) text = 'a';
    return { text, end: end + 1 };
  }
  if (char === '(') {
    let depth = 0;
    let end = index;
    for (; end < source.length; end += 1) {
      if (source[end] === '\\') {
        end += 1;
        continue;
      }
      if (source[end] === '(') depth += 1;
      if (source[end] === ')' && (depth -= 1) === 0) break;
    }
    let inner = source.slice(index + 1, end);
    if (inner.startsWith('?')) {
      const named = /^\?(?::|<[A-Za-z_][A-Za-z0-9_]*>|P<[A-Za-z_][A-Za-z0-9_]*>)/.exec(inner);
      if (!named) return undefined;
      inner = inner.slice(named[0].length);
    }
    const branches = splitTopLevel(inner);
    const text = branches ? sequenceWitness(branches[0] ?? '') : undefined;
    return text === undefined ? undefined : { text, end: end + 1 };
  }
  return { text: char, end: index + 1 };
}

function sequenceWitness(branch: string): string | undefined {
  let text = '';
  let index = 0;
  while (index < branch.length) {
    const atom = atomWitness(branch, index);
    if (!atom) return undefined;
    index = atom.end;
    const quantifier = /^(?:[?*+]|\{(\d+)(?:,\d*)?\})\??/.exec(branch.slice(index));
    let repeat = 1;
    if (quantifier) {
      index += quantifier[0].length;
      const head = quantifier[0][0];
      repeat = head === '?' || head === '*' ? 0 : head === '+' ? 1 : Number(quantifier[1]);
    }
    text += atom.text.repeat(repeat);
  }
  return text;
}

/**
 * How many characters a pattern insists on literally, whichever way it matches: `pool (is )?(exhausted|full)` -> 9
 * ("pool " + "full"), `.*` -> 0. Classes, escapes and optional parts count nothing. The matcher's specificity.
 */
export function minLiteralLength(source: string): number {
  const branches = splitTopLevel(source);
  if (!branches) return 0;
  return Math.min(...branches.map(sequenceLiteralLength));
}

function sequenceLiteralLength(branch: string): number {
  let total = 0;
  let index = 0;
  while (index < branch.length) {
    const char = branch[index]!;
    let length = 0;
    let end = index + 1;
    if (char === '(') {
      const atom = atomWitness(branch, index);
      if (!atom) return total;
      end = atom.end;
      const inner = branch.slice(index + 1, end - 1).replace(/^\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>)/, '');
      length = minLiteralLength(inner);
    } else if (char === '[' || char === '\\') {
      const atom = atomWitness(branch, index);
      if (!atom) return total;
      end = atom.end;
    } else if (!'.^$'.includes(char)) {
      length = 1;
    }
    index = end;
    const quantifier = /^(?:[?*+]|\{(\d+)(?:,\d*)?\})\??/.exec(branch.slice(index));
    if (quantifier) {
      index += quantifier[0].length;
      const head = quantifier[0][0];
      if (head === '?' || head === '*' || (head === '{' && quantifier[1] === '0')) length = 0;
    }
    total += length;
  }
  return total;
}
