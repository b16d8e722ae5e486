// The completion markers pages use: `=> 100%`, `=> **80%**`, '→ 80 %', '(100%)', '[50% done]', '=> done',
// and a trailing ' - 80%' after the text. Words after a marker ('=> 50% (blocked on X)') are a note.
const NUMBER = String.raw`(\d{1,3}(?:[.,]\d+)?)`;
const ARROW = new RegExp(String.raw`(?:=>|⇒|→|->)\s*[*_]*\s*~?${NUMBER}\s*%\s*[*_]*`);
const ARROW_WORD =
  /(?:=>|⇒|→|->)\s*[*_]*\s*(done|complete|completed|finished|achieved|not started|in progress|ongoing|wip|blocked)\b\s*[*_]*/i;
const BRACKETED = new RegExp(
  String.raw`[([]\s*[*_]*~?${NUMBER}\s*%\s*[*_]*\s*(?:done|complete|completed|finished)?\s*[)\]]`,
  'i',
);
// 'Thing - 80%', 'Thing: **80%**' at the very end: the number ends the item after a separator.
const TRAILING = new RegExp(String.raw`\s(?:[-–—:|]|=)\s*[*_]*~?${NUMBER}\s*%\s*[*_]*\s*$`);
// An arrow followed by something with a '%' that is not a number: a marker someone meant and mistyped.
const ARROW_ANY = /(?:=>|⇒|→)\s*[*_]*\s*([^\s*_]*%)/;

export interface CompletionMarker {
  percent: number | null;
  /** The criterion's text without the marker: what came before it, or after it when nothing did. */
  title: string;
  /** Words that followed the marker, when the title came before it ('blocked on X'). */
  note: string | null;
  /** What was wrong with a marker that was meant but cannot be read; the figure is then unknown. */
  problem: string | null;
}

const hasWords = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);

function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s:;,\-–—|]+/u, '')
    .replace(/[\s:;,\-–—|]+$/u, '')
    .replace(/\(\s*\)$/, '')
    .trim();
}

function split(text: string, start: number, end: number, percent: number | null, problem: string | null) {
  const before = tidy(text.slice(0, start));
  const after = tidy(text.slice(end).replace(/^\s*[([]\s*(.*?)\s*[)\]]\s*$/, '$1'));
  if (hasWords(before)) return { percent, title: before, note: hasWords(after) ? after : null, problem };
  return { percent, title: after, note: null, problem };
}

const WORD_PERCENT: Record<string, number | null> = {
  done: 100,
  complete: 100,
  completed: 100,
  finished: 100,
  achieved: 100,
  'not started': 0,
};

/** Finds a completion marker in one criterion's text. A marker above 100% or unreadable is a problem. */
export function readCompletionMarker(text: string): CompletionMarker {
  for (const pattern of [ARROW, BRACKETED, TRAILING]) {
    const match = pattern.exec(text);
    if (!match) continue;
    const percent = Number(match[1]!.replace(',', '.'));
    const end = match.index + match[0].length;
    if (!(percent >= 0 && percent <= 100)) {
      const problem = `the completion '${match[0].trim()}' is not between 0% and 100%; its figure is left unknown`;
      return split(text, match.index, end, null, problem);
    }
    return split(text, match.index, end, percent, null);
  }
  const word = ARROW_WORD.exec(text);
  if (word) {
    const percent = WORD_PERCENT[word[1]!.toLowerCase()] ?? null;
    return split(text, word.index, word.index + word[0].length, percent, null);
  }
  const broken = ARROW_ANY.exec(text);
  if (broken) {
    const problem = `cannot read the completion '${broken[0].trim()}' (write it like '=> 80%'); its figure is left unknown`;
    return split(text, broken.index, broken.index + broken[0].length, null, problem);
  }
  return { percent: null, title: tidy(text), note: null, problem: null };
}

/** Where, in `text`, the number of the marker readCompletionMarker reads sits; null for no numeric marker. */
export function locateCompletionNumber(text: string): { index: number; number: string } | null {
  for (const pattern of [ARROW, BRACKETED, TRAILING]) {
    const match = pattern.exec(text);
    if (!match) continue;
    // Only arrows, spaces, emphasis and '~' come before the number in a match, never a digit.
    return { index: match.index + match[0].indexOf(match[1]!), number: match[1]! };
  }
  return null;
}

// Marks people put before (or after) an item instead of a ticked box.
const DONE_MARK = /^(?:✅|☑️?|✔️?|✓|🟢|\[x\]|\(x\))\s*/iu;
const OPEN_MARK = /^(?:❌|⬜|☐|✗|✘|🔲|🔴|\[ \])\s*/u;
const ONGOING_MARK = /^(?:🚧|⏳|🟡|🟠|🔄)\s*/u;
const DONE_MARK_END = /\s*(?:✅|☑️?|✔️?|✓)\s*$/u;

/** An emoji or ASCII done mark at the start (or a done mark at the end) of an item: its figure and the rest. */
export function readDoneMark(text: string): { percent: number | null; rest: string; marked: boolean } {
  const trimmed = text.trim();
  for (const [pattern, percent] of [
    [DONE_MARK, 100],
    [OPEN_MARK, 0],
    [ONGOING_MARK, null],
  ] as const) {
    const match = pattern.exec(trimmed);
    if (match) return { percent, rest: trimmed.slice(match[0].length), marked: true };
  }
  const end = DONE_MARK_END.exec(trimmed);
  if (end) return { percent: 100, rest: trimmed.slice(0, end.index), marked: true };
  return { percent: null, rest: trimmed, marked: false };
}

const DONE_WORDS =
  /^(?:done|complete|completed|finished|achieved|met|closed|delivered|shipped|yes|y|100 ?%|✅|☑️?|✔️?|✓|🟢)\b|^(?:✅|☑️?|✔️?|✓|🟢)/iu;
const NOT_STARTED_WORDS =
  /^(?:not started|not yet started|to ?do|todo|no|n|not met|none|❌|⬜|☐|🔴|0)\b|^(?:❌|⬜|☐|🔴)/iu;
const CELL_PERCENT = new RegExp(String.raw`(?:^|[^\d.,])~?${NUMBER}\s*%`);
const FRACTION = /^(\d{1,4})\s*(?:\/|of|out of)\s*(\d{1,4})\b/i;

/**
 * A progress or status cell: '50%', '**50 %**', 'Done', 'Completed', '✅', 'Not started', 'In progress (40%)',
 * '3/4'. 'In progress' without a number has no figure: unknown is not zero. A bare number counts as a
 * percentage only in a column whose header says so (`numberIsPercent`).
 */
export function readProgressCell(
  text: string,
  numberIsPercent = false,
): { percent: number | null; problem: string | null } {
  const cleaned = text
    .replace(/[*_`~]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return { percent: null, problem: null };
  const percent = CELL_PERCENT.exec(cleaned);
  if (percent) {
    const value = Number(percent[1]!.replace(',', '.'));
    if (value >= 0 && value <= 100) return { percent: value, problem: null };
    return { percent: null, problem: `the progress '${cleaned}' is not between 0% and 100%` };
  }
  if (DONE_WORDS.test(cleaned)) return { percent: 100, problem: null };
  if (NOT_STARTED_WORDS.test(cleaned)) return { percent: 0, problem: null };
  const fraction = FRACTION.exec(cleaned);
  if (fraction && Number(fraction[2]) > 0 && Number(fraction[1]) <= Number(fraction[2])) {
    return { percent: Math.round((Number(fraction[1]) / Number(fraction[2])) * 1000) / 10, problem: null };
  }
  if (numberIsPercent && /^~?\d{1,3}(?:[.,]\d+)?$/.test(cleaned)) {
    const value = Number(cleaned.replace('~', '').replace(',', '.'));
    if (value >= 0 && value <= 100) return { percent: value, problem: null };
  }
  return { percent: null, problem: null };
}
