import type { IsoDate } from '../domain/types.js';
import type { ImportWarning } from './errors.js';
import { cellAt, type Grid, type GridCell } from './grid.js';
import { type DateRole, parseHumanDate } from './humanDate.js';

export type AttributeKey =
  | 'targetEndDate'
  | 'endDate'
  | 'endedOn'
  | 'createdDate'
  | 'outcome'
  | 'status'
  | 'channel'
  | 'taskBoardUrl'
  | 'docUrl';

// Order matters: 'Estimated Date Ended' is a target, 'Date Ended' an end, a plain 'End Date' a target only
// when nothing says 'target'.
// Japanese labels follow the English ones (translated pages: 目標終了日, 終了日, 作成日…).
const RULES: [RegExp, AttributeKey][] = [
  [
    /estimat|target|expected|planned|projected|forecast|due|deadline|goal date|目標|予定|見込/i,
    'targetEndDate',
  ],
  [
    /date ended|^ended|ended on|end(?:ed)? on|date closed|^closed|closed on|disband|conclu|date completed|completed on|^completed$|^finished$|actual end|実際の終了|クローズ日|解散日|完了日/i,
    'endedOn',
  ],
  [/end date|^end$|completion date|finish date|終了日/i, 'endDate'],
  [
    /\bcreated?\b|\bstart|\bbegan\b|\bbegin|kick.?off|\blaunch|\bformed\b|\bopened\b|inception|作成日|開始日|発足日/i,
    'createdDate',
  ],
  [/outcome|result|resolution|^結果$|^成果$/i, 'outcome'],
  [
    /^(?:wg |working group |group )?(?:status|state|lifecycle|phase)$|^overview (?:&|and) status$|ステータス|^状態$/i,
    'status',
  ],
  [/slack|channel|チャンネル/i, 'channel'],
  [/\bboard\b|\bepics?\b|\bissues?\b|\btracker\b|\btracking\b|\bproject\b|ボード/i, 'taskBoardUrl'],
  [
    /\bdoc\b|\bdocs\b|document|agenda|\bnotes\b|meeting|minutes|handbook|recording|ドキュメント|アジェンダ|議事録/i,
    'docUrl',
  ],
];

export function attributeKey(label: string): AttributeKey | null {
  const clean = label.replace(/[*_:`]/g, '').trim();
  if (clean.length === 0 || clean.length > 40) return null;
  return RULES.find(([pattern]) => pattern.test(clean))?.[1] ?? null;
}

export interface Attributes {
  createdDate: IsoDate | null;
  targetEndDate: IsoDate | null;
  /** A plain 'End Date': the target when no other says so, else perhaps the day the group ended. */
  endDate: IsoDate | null;
  endedOn: IsoDate | null;
  outcome: string | null;
  status: string | null;
  channel: string | null;
  docUrl: string | null;
  taskBoardUrl: string | null;
  /** Where each value was read: its label and line, for warnings that name them. */
  sources: Partial<Record<AttributeKey, { label: string; line: number | null }>>;
}

export const NO_ATTRIBUTES: Attributes = {
  createdDate: null,
  targetEndDate: null,
  endDate: null,
  endedOn: null,
  outcome: null,
  status: null,
  channel: null,
  docUrl: null,
  taskBoardUrl: null,
  sources: {},
};

export interface AttributeOptions {
  fiscalYearStartMonth: number;
}

/** One label and its value, from a table row, an HTML row or a 'Label: value' line. */
export interface AttributeEntry {
  label: string;
  value: GridCell;
  line: number | null;
}

const CHANNEL_ID = /\b([CG][A-Z0-9]{8,})\b/;
const CHANNEL_NAME = /#([a-z0-9][a-z0-9_-]{0,79})/i;
const BARE_CHANNEL = /^`?([a-z0-9][a-z0-9_-]*(?:wg|working)[a-z0-9_-]*)`?$/i;

/** '#wg_name' from a cell like '[#wg_name](https://join.slack.com/…) (internal)', or a channel ID. */
function readChannel(cell: GridCell): string | null {
  const name = CHANNEL_NAME.exec(cell.text);
  if (name) return `#${name[1]!.toLowerCase()}`;
  const id = CHANNEL_ID.exec(cell.url ?? '') ?? CHANNEL_ID.exec(cell.text);
  if (id) return id[1]!;
  const bare = BARE_CHANNEL.exec(cell.text);
  return bare ? `#${bare[1]!.toLowerCase()}` : null;
}

const DATE_ROLE: Partial<Record<AttributeKey, DateRole>> = {
  createdDate: 'start',
  targetEndDate: 'end',
  endDate: 'end',
  endedOn: 'end',
};

function readDate(
  entry: AttributeEntry,
  role: DateRole,
  options: AttributeOptions,
  warnings: ImportWarning[],
): IsoDate | null {
  const text = entry.value.unstruck || entry.value.text;
  const parsed = parseHumanDate(text, { role, fiscalYearStartMonth: options.fiscalYearStartMonth });
  if (parsed.ok) return parsed.date;
  warnings.push({
    line: entry.line,
    message: `cannot read the date '${text}' for '${entry.label}' (${parsed.reason}); kept as text, the date is left empty`,
  });
  return null;
}

/** Reads labelled values into the group's attributes; the first value of each kind wins. */
export function readAttributeEntries(
  entries: AttributeEntry[],
  options: AttributeOptions,
  warnings: ImportWarning[],
): Attributes {
  const attrs: Attributes = { ...NO_ATTRIBUTES, sources: {} };
  for (const entry of entries) {
    const key = attributeKey(entry.label);
    if (!key || attrs[key] !== null) continue;
    attrs.sources[key] = { label: entry.label.replace(/[*_:`]/g, '').trim(), line: entry.line };
    const role = DATE_ROLE[key];
    if (role) {
      attrs[key] = readDate(entry, role, options, warnings);
    } else if (key === 'channel') {
      attrs.channel = readChannel(entry.value);
      if (!attrs.channel && entry.value.text) {
        warnings.push({ line: entry.line, message: `no Slack channel found in '${entry.value.text}'` });
      }
    } else if (key === 'outcome' || key === 'status') {
      attrs[key] = entry.value.text || null;
    } else {
      attrs[key] = entry.value.url ?? (/^https?:\/\/\S+$/.test(entry.value.text) ? entry.value.text : null);
    }
  }
  return attrs;
}

/** Whether a table's first column (or its header row) holds at least two labels an attributes table has. */
export function isAttributesGrid(grid: Grid): boolean {
  const labels = grid.rows.map((row) => attributeKey(cellAt(row, 0).text));
  const header = (grid.rows[0]?.cells ?? []).map((cell) => attributeKey(cell.text));
  const [first, second] = (grid.rows[0]?.cells ?? []).map((cell) => cell.text.replace(/[*_]/g, '').trim());
  const propertyValue =
    /^(?:property|attribute|field|key|item|detail)s?$/i.test(first ?? '') &&
    /^(?:values?|details?|info)$/i.test(second ?? '');
  return (
    labels.filter(Boolean).length >= 2 ||
    (grid.rows.length === 2 && header.filter(Boolean).length >= 2) ||
    (propertyValue && labels.some(Boolean))
  );
}

/**
 * A table's label/value pairs: 'Property | Value' rows, or a header of labels over one row of values. A
 * 'Property | Value' header is skipped because it maps to no attribute.
 */
export function attributeEntries(grid: Grid): AttributeEntry[] {
  const header = grid.rows[0];
  const labelsAcross = (header?.cells ?? []).filter((cell) => attributeKey(cell.text)).length;
  const labelsDown = grid.rows.filter((row) => attributeKey(cellAt(row, 0).text)).length;
  if (header && grid.rows.length === 2 && labelsAcross >= 2 && labelsAcross > labelsDown) {
    const values = grid.rows[1]!;
    return header.cells.map((cell, i) => ({ label: cell.text, value: cellAt(values, i), line: values.line }));
  }
  return grid.rows
    .filter((row) => row.cells.length >= 2)
    .map((row) => ({ label: cellAt(row, 0).text, value: cellAt(row, 1), line: row.line }));
}
