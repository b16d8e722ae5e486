import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import type { IsoDate } from '../domain/types.js';

// Month-name forms are unambiguous; purely numeric ones other than ISO (03/07/2021) are not, so they are refused.
const FORMATS = [
  'yyyy-MM-dd',
  'MMMM d yyyy',
  'MMM d yyyy',
  'd MMMM yyyy',
  'd MMM yyyy',
  'MMMM yyyy',
  'MMM yyyy',
];
const REFERENCE = new Date(2000, 0, 1);
const EMPTY = /^(|-+|—|–|tbd|tba|n\/?a|none|ongoing|open|unknown|\?+)$/i;

export type HumanDate = { ok: true; date: IsoDate | null } | { ok: false };

/**
 * Reads the dates people write on handbook pages: 'March 3rd, 2021', 'Mar 3 2021', '3 March 2021',
 * '2021-03-03'. A month alone ('July 2021') means its last day, the latest a 'target' can mean.
 * 'TBD', '-' and blanks are no date at all, not an error.
 */
export function parseHumanDate(text: string): HumanDate {
  const cleaned = text
    .replace(/[*_`~]/g, '')
    .replace(/\b(\d{1,2})(st|nd|rd|th)\b/gi, '$1')
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (EMPTY.test(cleaned)) return { ok: true, date: null };
  for (const fmt of FORMATS) {
    const parsed = parse(cleaned, fmt, REFERENCE);
    if (!isValid(parsed) || parsed.getFullYear() < 1970 || parsed.getFullYear() > 2200) continue;
    if (!fmt.includes('d')) {
      const lastDay = new Date(parsed.getFullYear(), parsed.getMonth() + 1, 0);
      return { ok: true, date: format(lastDay, 'yyyy-MM-dd') };
    }
    return { ok: true, date: format(parsed, 'yyyy-MM-dd') };
  }
  return { ok: false };
}
