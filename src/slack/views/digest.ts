import { formatDaysLeft, plural } from '../../format.js';
import type { DigestData } from '../../services/digestData.js';
import type { DigestDraft } from '../../services/ports.js';
import { type Block, context, divider, fitBlocks, header, LIMITS, lineSections, section } from './blocks.js';
import { burnupChartBlock, chartAltText } from './chart.js';
import {
  countsLine,
  forecastLine,
  itemLines,
  longDate,
  overallLine,
  shortDate,
  timeLine,
  type Viewer,
} from './common.js';
import { changeLines, criteriaLines, overallChange, whatChanged } from './digestLines.js';
import { disagreeCount, driftLines } from './drift.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';
import { freshness, statusSummary, syncWarning } from './status.js';
import { writebackActions } from './writeback.js';

export { delta, whatChanged } from './digestLines.js';

/** The block id that carries a digest's marker: how a restarted wgbot recognises its own post. */
export function digestBlockId(marker: string): string {
  return `wgbot-digest|${marker}`;
}

/** The block id that carries the marker on a digest's thread reply, so a restart finds the reply too. */
export function digestThreadBlockId(marker: string): string {
  return `wgbot-digest-thread|${marker}`;
}

/** The block id of the digest's native chart: how a restarted wgbot tells the chart is in the post. */
export function digestChartBlockId(marker: string): string {
  return `wgbot-chart|${marker}`.slice(0, 255);
}

export interface DigestView {
  main: MessageView;
  /** Full lists when the main post had to be cut, posted as a thread reply. */
  thread: MessageView | null;
}

const MAIN_CRITERIA = 12;
const MAIN_ITEMS = 8;

/** The digest's two block lists as they grow: the post, and the thread reply for what the post cannot hold. */
interface DigestBlocks {
  main: Block[];
  thread: Block[];
}

interface DigestOptions {
  marker: string;
  metrics: string | null;
  late?: DigestDraft['late'];
  /** Slack's own chart block in the post (default); false when Slack refused it and a PNG follows. */
  nativeChart?: boolean;
}

/**
 * A list shown in part in the post: its first `shown` lines there, a "…and n more" note, and the whole list
 * in the thread reply when it is longer.
 */
function partList(
  out: DigestBlocks,
  list: {
    title: string;
    lines: string[];
    shown: number;
    more: (n: number) => string;
    threadTitle: string;
    threadMax: number;
  },
): void {
  const { title, lines, shown } = list;
  out.main.push(...lineSections(title, lines.slice(0, shown), shown, () => ''));
  if (lines.length > shown) {
    out.main.push(context(list.more(lines.length - shown)));
    out.thread.push(...lineSections(list.threadTitle, lines, list.threadMax, (n) => `…and ${n} more`));
  }
}

/** The header (carrying the marker), the target / freshness / epic line, and any late or sync notice. */
function headerBlocks(data: DigestData, viewer: Viewer, options: DigestOptions): Block[] {
  const { report } = data;
  const headerBlock = header(`Weekly digest — ${report.name}`);
  const target =
    report.lifecycle !== 'active'
      ? timeLine(report)
      : report.targetEndDate
        ? `:dart: ${longDate(report.targetEndDate)} · ${formatDaysLeft(report.daysLeft)}`
        : ':dart: no target date';
  return [
    { ...headerBlock, block_id: digestBlockId(options.marker) },
    context(
      target,
      `:arrows_counterclockwise: ${freshness(report, viewer)}`,
      data.epicUrl ? link(data.epicUrl, 'Epic / board') : '',
    ),
    ...(options.late ? [lateNotice(options.late, viewer)] : []),
    ...syncWarning(report, viewer),
  ];
}

/** The forecast and what-changed lines, the overall figure with its change, and the burn-up chart. */
function overviewBlocks(data: DigestData, options: DigestOptions): Block[] {
  const { report } = data;
  const blocks: Block[] = [];
  const top = [forecastLine(report, report.today), whatChanged(data, report.today)].filter((l) => l !== null);
  if (top.length > 0) blocks.push(section(top.join('\n')));
  blocks.push(section(`${overallLine(report)}${overallChange(data)}`));
  const chart =
    options.nativeChart === false ? null : burnupChartBlock(data.chart, digestChartBlockId(options.marker));
  if (chart) blocks.push(chart, context(chartAltText(chart)));
  return blocks;
}

/** The exit criteria with their changes, the first few in the post and all of them in the thread. */
function addCriteria(out: DigestBlocks, data: DigestData): void {
  const criteria = criteriaLines(data);
  if (criteria.length === 0) return;
  partList(out, {
    title: '*Exit criteria*',
    lines: criteria,
    shown: MAIN_CRITERIA,
    more: (n) => `…and ${plural(n, 'more criterion', 'more criteria')} in the thread`,
    threadTitle: '*All exit criteria*',
    threadMax: 400,
  });
}

/** This sprint's items, open ones first. */
function addSprint(out: DigestBlocks, data: DigestData, viewer: Viewer): void {
  const { report } = data;
  const sprint = report.currentSprint;
  if (!sprint) return;
  const inSprint = report.items.filter((i) => i.sprint === sprint.title);
  const dates =
    sprint.startDate && sprint.endDate
      ? ` (${shortDate(sprint.startDate, report.today)} – ${shortDate(sprint.endDate, report.today)})`
      : '';
  const lines = itemLines(
    [...inSprint].sort((a, b) => Number(a.state === 'done') - Number(b.state === 'done')),
    viewer,
    { showSprint: false },
  );
  partList(out, {
    title: `*This sprint — ${esc(sprint.title)}${dates}:* ${countsLine(inSprint, viewer)}`,
    lines,
    shown: MAIN_ITEMS,
    more: (n) => `…and ${n} more in the thread`,
    threadTitle: `*${esc(sprint.title)} — all items*`,
    threadMax: 300,
  });
}

/** The overdue items with their owners, or that there are none. */
function addOverdue(out: DigestBlocks, data: DigestData, viewer: Viewer): void {
  const overdue = data.report.items.filter((i) => i.overdue);
  if (overdue.length === 0) {
    out.main.push(section('*Overdue:* nothing :tada:'));
    return;
  }
  partList(out, {
    title: `*Overdue (${overdue.length})*`,
    lines: itemLines(overdue, viewer),
    shown: MAIN_ITEMS,
    more: (n) => `…and ${n} more overdue in the thread`,
    threadTitle: '*All overdue items*',
    threadMax: 300,
  });
}

/** Where the plan and GitLab disagree, with who owns each; nothing when they agree. */
function addDrift(out: DigestBlocks, data: DigestData): void {
  const lines = driftLines(data.drift);
  if (lines.length === 0) return;
  partList(out, {
    title: `*Plan vs GitLab — ${disagreeCount(lines.length)}* (\`/wg drift\` to put them right)`,
    lines,
    shown: MAIN_ITEMS,
    more: (n) => `…and ${n} more disagreements in the thread`,
    threadTitle: '*Everything the plan and GitLab disagree on*',
    threadMax: 300,
  });
}

/** Each sprint that ended since the last digest: what moved on to a later sprint and what is still open. */
function addRollovers(out: DigestBlocks, data: DigestData, viewer: Viewer): void {
  for (const r of data.rollovers) {
    const moved = r.movedOn.map(
      (m) =>
        `${m.item?.confidential ? '_a confidential item_' : link(m.item?.url ?? null, m.title)} → ${esc(m.to)}`,
    );
    const open = itemLines(r.stillOpen, viewer);
    const count = moved.length + r.stillOpen.length;
    partList(out, {
      title: `*${esc(r.sprint)} ended ${shortDate(r.endDate, data.report.today)}* — ${count === 0 ? 'everything in it was done :tada:' : `${plural(count, 'item', 'items')} slipped`}`,
      lines: [...moved, ...open],
      shown: MAIN_ITEMS,
      more: (n) => `…and ${n} more from ${esc(r.sprint)} in the thread`,
      threadTitle: `*What slipped from ${esc(r.sprint)}*`,
      threadMax: 300,
    });
  }
}

/** The item-by-item changes since the last digest, or what a first digest tracks. */
function addChanges(out: DigestBlocks, data: DigestData, viewer: Viewer): void {
  const { report } = data;
  if (!data.previous) {
    out.main.push(
      section(
        `*First digest:* tracking ${plural(report.counts.items, 'action item', 'action items')} (${report.counts.done} done).`,
      ),
    );
    return;
  }
  const byKey = new Map(report.items.map((i) => [`i${i.id}`, i]));
  const changes = changeLines(data, viewer, byKey);
  const title = `*Since the last digest (${shortDate(data.previous.postedAt.slice(0, 10), report.today)})*`;
  if (changes.length === 0) {
    out.main.push(section(`${title}: no changes`));
    return;
  }
  partList(out, {
    title,
    lines: changes,
    shown: MAIN_ITEMS,
    more: (n) => `…and ${plural(n, 'more change', 'more changes')} in the thread`,
    threadTitle: '*All changes since the last digest*',
    threadMax: 300,
  });
}

/** The metrics line, if any, and where to look next. */
function footerBlocks(options: DigestOptions): Block[] {
  return [
    ...(options.metrics ? [context(options.metrics)] : []),
    context('`/wg status` for the whole picture · `/wg items mine` for yours'),
  ];
}

/** Both messages cut to Slack's block limit: what does not fit the post goes first in the thread. */
function fitDigest(out: DigestBlocks, data: DigestData, marker: string): DigestView {
  const { main, thread } = out;
  const { report } = data;
  const text = `Weekly digest — ${esc(report.name)}: ${statusSummary(report)}`;
  // What does not fit the post goes first in the thread, so "the rest is in the thread" is true.
  const mainBlocks = fitBlocks(main, LIMITS.messageBlocks, () => context('…the rest is in the thread'));
  if (mainBlocks !== main) thread.unshift(...main.slice(mainBlocks.length - 1));
  const threadBlocks = fitBlocks(thread, LIMITS.messageBlocks, () => context('…cut to fit'));
  return {
    main: {
      text,
      blocks: mainBlocks,
    },
    thread:
      thread.length > 0
        ? {
            text: `Details — ${esc(report.name)}`,
            blocks: threadBlocks.map((b, i) =>
              i === 0 ? { ...b, block_id: digestThreadBlockId(marker) } : b,
            ),
          }
        : null,
  };
}

/**
 * The weekly digest, for everyone in the channel: overall % and its change, each exit criterion with its
 * change, this sprint's items, overdue items with their owners mentioned, what changed, sprint roll-over,
 * days to the target, and the epic. Long lists move to a thread reply so the post stays readable.
 */
export function digestView(data: DigestData, viewer: Viewer, options: DigestOptions): DigestView {
  const out: DigestBlocks = {
    main: [...headerBlocks(data, viewer, options), ...overviewBlocks(data, options)],
    thread: [],
  };
  addCriteria(out, data);
  out.main.push(divider());
  addSprint(out, data, viewer);
  addOverdue(out, data, viewer);
  addDrift(out, data);
  addRollovers(out, data, viewer);
  addChanges(out, data, viewer);
  out.main.push(...footerBlocks(options), ...writebackActions(data.report));
  return fitDigest(out, data, options.marker);
}

/** "Posted late: due Mon, Nov 23, 09:00 CET, wgbot was not running", in the reader's zone. */
function lateNotice(late: NonNullable<DigestDraft['late']>, viewer: Viewer): Block {
  const due = late.dueAt.toLocaleString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: viewer.timeZone,
    timeZoneName: 'short',
  });
  return context(`:hourglass: Posted late: due ${due}, ${esc(late.reason)}`);
}

/** The digest a draft makes: the post, and the thread reply when there is more. */
export function draftView(draft: DigestDraft, options: { nativeChart?: boolean } = {}): DigestView {
  return digestView(draft.data, draft.viewer, {
    marker: draft.marker,
    metrics: draft.metrics,
    late: draft.late ?? null,
    ...options,
  });
}

/** `/wg digest preview`: the post and its thread reply as one message, uncut. */
export function digestPreview(draft: DigestDraft): MessageView {
  const view = draftView(draft);
  return { text: view.main.text, blocks: [...view.main.blocks, ...(view.thread?.blocks ?? [])] };
}
