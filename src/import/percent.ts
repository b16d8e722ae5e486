import { ImportError } from './errors.js';

// The markers pages use: `=> 100%`, `=> **80%**`, '→ 80 %', '(100%)', '[50%]', '=> done'.
const NUMBER = String.raw`(\d{1,3}(?:[.,]\d+)?)`;
const ARROW = new RegExp(String.raw`(?:=>|⇒|→)\s*[*_]*\s*${NUMBER}\s*%\s*[*_]*`);
const ARROW_DONE = /(?:=>|⇒|→)\s*[*_]*\s*(?:done|complete|completed|finished)\b\s*[*_]*/i;
const BRACKETED = new RegExp(
  String.raw`[([]\s*[*_]*${NUMBER}\s*%\s*[*_]*\s*(?:done|complete|completed)?\s*[)\]]`,
  'i',
);
// An arrow followed by something with a '%' that is not a number: a marker someone meant and mistyped.
const ARROW_ANY = /(?:=>|⇒|→)\s*[*_]*\s*([^\s*_]*%)/;

export interface CompletionMarker {
  percent: number | null;
  /** The text with the marker taken out. */
  rest: string;
}

/** Finds a completion marker in one criterion's text. A marker above 100% or unreadable names the line. */
export function readCompletionMarker(text: string, line: number | null): CompletionMarker {
  for (const pattern of [ARROW, BRACKETED]) {
    const match = pattern.exec(text);
    if (!match) continue;
    const percent = Number(match[1]!.replace(',', '.'));
    if (!(percent >= 0 && percent <= 100)) {
      throw new ImportError(`the completion '${match[0].trim()}' is not between 0% and 100%`, line);
    }
    return { percent, rest: text.replace(match[0], ' ') };
  }
  const done = ARROW_DONE.exec(text);
  if (done) return { percent: 100, rest: text.replace(done[0], ' ') };
  const broken = ARROW_ANY.exec(text);
  if (broken) {
    throw new ImportError(`cannot read the completion '${broken[0].trim()}': write it like '=> 80%'`, line);
  }
  return { percent: null, rest: text };
}
