import { formatAge, formatPercent } from '../format.js';
import type { HistoryAnswer, StoredCriterionChange } from '../services/criteriaHistory.js';

function value(field: StoredCriterionChange['field'], v: string | number | null): string {
  if (v === null) return '—';
  return field === 'percent' ? formatPercent(Number(v)) : String(v);
}

/** `wgbot history` as text: one change a line, newest first. */
export function renderHistoryText(answer: HistoryAnswer, now: Date): string {
  const about = answer.criterion
    ? `criterion ${answer.criterion.path} (${answer.criterion.title})`
    : 'exit criteria';
  const lines = [`${answer.name} — history of ${about}`];
  if (answer.changes.length === 0) lines.push('  no changes recorded yet');
  for (const c of answer.changes) {
    const title = answer.criterion ? '' : `${c.criterionTitle}: `;
    lines.push(
      `  ${c.at.slice(0, 16).replace('T', ' ')}Z  ${title}${c.field} ${value(c.field, c.from)} → ${value(c.field, c.to)}  (${c.by}, ${formatAge(c.at, now)})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
