import { readCriterionText } from './criteriaList.js';
import { cellAt, type Grid, type GridRow } from './grid.js';
import { parseHumanDate } from './humanDate.js';
import type { ParsedCriterion, ReadContext } from './model.js';
import { ownerNames } from './people.js';
import { readProgressCell } from './percent.js';

export interface CriteriaColumns {
  criterion: number;
  progress: number | null;
  /** Whether a bare number in the progress column is a percentage ('% complete', 'Progress (%)'). */
  progressIsPercent: boolean;
  owner: number | null;
  completedDate: number | null;
  link: number | null;
  number: number | null;
}

type ColumnKind = keyof Omit<CriteriaColumns, 'progressIsPercent'> | 'plannedDate';

// A column's meaning from its header, most specific first: 'Completed date' is a date, not a status, and a
// start, target or due date says nothing about whether the criterion was met ('plannedDate', not read).
// Japanese headers of translated pages follow the English words.
const COLUMN_RULES: [RegExp, ColumnKind][] = [
  [/^(?:#|no\.?|nr\.?|num(?:ber)?|id|item ?#?|step|番号)$/i, 'number'],
  [
    /(?:start|target|due|planned|estimat|expected|projected|begin|kick)[^|]*(?:date|when|\bon\b)|開始日|目標[^|]*日|予定日/i,
    'plannedDate',
  ],
  [/date|when|completed on|finished on|closed on|完了日|終了日|日付/i, 'completedDate'],
  [
    /progress|status|%|percent|complet|done|state|achieved|met\b|score|進捗|状況|ステータス|達成/i,
    'progress',
  ],
  [
    /\bdris?\b|owner|responsib|assignee|lead|who|person|people|champion|accountable|担当|責任者|オーナー/i,
    'owner',
  ],
  [/epic|issue|link|tracking|url|reference|\bmr\b|merge request|エピック|イシュー|リンク/i, 'link'],
  [
    /criteri|goal|exit|objective|deliverable|outcome|milestone|requirement|description|task|item|what|key result|success|measure|target|stage|phase|name|title|基準|条件|目標|成果物|項目|タスク|説明/i,
    'criterion',
  ],
];

function columnKind(header: string): ColumnKind | null {
  const clean = header.replace(/[*_`]/g, '').trim();
  return COLUMN_RULES.find(([pattern]) => pattern.test(clean))?.[1] ?? null;
}

/**
 * The columns of a criteria table found by what their headers mean. Without a header naming the
 * criterion, the first column that is not a number, a figure, an owner or a date holds it — but only
 * inside an exit criteria section (`inCriteriaSection`); elsewhere a table needs both a criterion and a
 * progress column to count.
 */
export function criteriaColumns(header: GridRow, inCriteriaSection: boolean): CriteriaColumns | null {
  const found: Partial<Record<ColumnKind, number>> = {};
  const headers = header.cells.map((cell) => cell.text);
  headers.forEach((text, i) => {
    const kind = columnKind(text);
    if (kind && found[kind] === undefined) found[kind] = i;
  });
  let criterion = found.criterion;
  if (criterion === undefined && inCriteriaSection) {
    const taken = new Set(Object.values(found));
    criterion = headers.findIndex((text, i) => !taken.has(i) && text.trim() !== '');
    if (criterion < 0) criterion = headers.findIndex((_, i) => !taken.has(i));
  }
  if (criterion === undefined || criterion < 0) return null;
  if (!inCriteriaSection && found.progress === undefined) return null;
  const progressHeader = found.progress === undefined ? '' : headers[found.progress]!;
  return {
    criterion,
    progress: found.progress ?? null,
    progressIsPercent: /%|percent|progress|complet/i.test(progressHeader),
    owner: found.owner ?? null,
    completedDate: found.completedDate ?? null,
    link: found.link ?? null,
    number: found.number ?? null,
  };
}

function readRow(row: GridRow, columns: CriteriaColumns, ctx: ReadContext): ParsedCriterion {
  const titleCell = cellAt(row, columns.criterion);
  const fromText = readCriterionText(titleCell.text);
  if (fromText.problem) ctx.warnings.push({ line: row.line, message: fromText.problem });
  const progressText = cellAt(row, columns.progress).text;
  const progress = readProgressCell(progressText, columns.progressIsPercent);
  if (progress.problem)
    ctx.warnings.push({ line: row.line, message: `${progress.problem}; its figure is left unknown` });
  let percent = progress.percent ?? (progress.problem ? null : fromText.percent);
  if (percent === null && !progress.problem && titleCell.struck) percent = 100;
  const completed = cellAt(row, columns.completedDate).text;
  if (percent === null && completed && columns.completedDate !== null) {
    const date = parseHumanDate(completed, { fiscalYearStartMonth: ctx.options.fiscalYearStartMonth });
    // A date in a 'Completed date' column says the criterion was met.
    if (date.ok && date.date !== null) percent = 100;
  }
  const note =
    progress.percent !== null && /[a-z]{3}/i.test(progressText.replace(/done|complete[d]?/i, ''))
      ? progressText
      : fromText.note;
  return {
    title: fromText.title,
    url: titleCell.url ?? cellAt(row, columns.link).url,
    percent,
    owner: ownerNames(cellAt(row, columns.owner).lines) ?? fromText.owner,
    note,
    line: row.line,
    children: [],
  };
}

/** '1.2' under '1', '2b' under '2': a numbered sub-item's parent number, or null. */
function parentNumber(number: string): string | null {
  const match = /^(\d+)(?:[.)]\s*\d+|[a-z])\.?$/i.exec(number.trim());
  return match ? match[1]! : null;
}

/**
 * The criteria in a table: one per row, its figure from the progress column ('50%', 'Done', '✅', a filled
 * 'Completed date'), its owner from the DRI column, its link from the criterion cell or a link column. A
 * row with an empty criterion cell completes the row above (tables written with merged-looking cells);
 * numbered sub-rows ('1.1') go under their parent.
 */
export function readCriteriaGrid(grid: Grid, columns: CriteriaColumns, ctx: ReadContext): ParsedCriterion[] {
  const top: ParsedCriterion[] = [];
  const byNumber = new Map<string, ParsedCriterion>();
  let previous: ParsedCriterion | null = null;
  for (const row of grid.rows.slice(1)) {
    if (row.cells.every((cell) => cell.text === '')) continue;
    const read = readRow(row, columns, ctx);
    if (!read.title) {
      if (previous) {
        previous.percent ??= read.percent;
        previous.owner ??= read.owner;
        previous.url ??= read.url;
      } else if (read.percent !== null) {
        ctx.warnings.push({
          line: row.line,
          message: 'a criteria row has a figure but no criterion; skipped',
        });
      }
      continue;
    }
    const number = cellAt(row, columns.number).text;
    const parent = number ? byNumber.get(parentNumber(number) ?? '') : undefined;
    (parent ? parent.children : top).push(read);
    if (number) byNumber.set(number.replace(/[.)]$/, ''), read);
    previous = read;
  }
  return top;
}
