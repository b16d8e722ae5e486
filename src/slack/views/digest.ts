import { flattenProgress } from '../../domain/criteria.js';
import { formatDaysLeft, formatPercent, plural } from '../../format.js';
import type { DigestData } from '../../services/digestData.js';
import type { DigestDraft } from '../../services/ports.js';
import type { StatusItem } from '../../services/status.js';
import { type Block, context, divider, fitBlocks, header, LIMITS, lineSections, section } from './blocks.js';
import { burnupChartBlock, chartAltText } from './chart.js';
import {
  bar,
  countsLine,
  criterionNotes,
  forecastLine,
  itemLines,
  longDate,
  overallLine,
  percentText,
  shortDate,
  timeLine,
  type Viewer,
} from './common.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';
import { freshness, statusSummary, syncWarning } from './status.js';

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

/** ▲ +12 / ▼ −5 / nothing. */
export function delta(value: number | undefined): string {
  if (value === undefined || value === 0) return '';
  const shown = Number.isInteger(value) ? Math.abs(value) : Math.abs(value).toFixed(1);
  return value > 0 ? ` :arrow_up_small: +${shown}` : ` :arrow_down_small: −${shown}`;
}

/** ' :arrow_up_small: +5 since the last digest', ' · no change since the last digest', or nothing. */
function overallChange(data: DigestData): string {
  const { from, to, delta: change } = data.diff.overall;
  if (!data.previous || to === null) return '';
  if (from === null) return ' · first figure since the last digest';
  return `${delta(change ?? 0) || ' · no change'} since the last digest`;
}

/**
 * The one line at the top that says what changed since the last digest: 'overall +5.5 points · 3 closed
 * · 1 added · 1 slipped', or that nothing did; null for a first digest.
 */
export function whatChanged(data: DigestData, today: string): string | null {
  if (!data.previous) return null;
  const { diff } = data;
  const since = `*Since ${shortDate(data.previous.postedAt.slice(0, 10), today)}:*`;
  const parts: string[] = [];
  const change = diff.overall.delta;
  if (diff.overall.from === null && diff.overall.to !== null) parts.push('first overall figure');
  else if (change !== null && change !== undefined && change !== 0) {
    const size = Math.abs(change);
    const points = `${formatPercent(size).slice(0, -1)} ${size === 1 ? 'point' : 'points'}`;
    parts.push(`overall ${change > 0 ? '+' : '−'}${points}`);
  }
  const counted: [number, string, string][] = [
    [diff.closed.length, 'item closed', 'items closed'],
    [diff.added.length, 'added', 'added'],
    [diff.reopened.length, 'reopened', 'reopened'],
    [diff.slipped.length, 'slipped', 'slipped'],
    [diff.removed.length, 'gone from GitLab', 'gone from GitLab'],
  ];
  for (const [n, one, many] of counted) if (n > 0) parts.push(plural(n, one, many));
  return parts.length === 0 ? `${since} no changes` : `${since} ${parts.join(' · ')}`;
}

const MAIN_CRITERIA = 12;
const MAIN_ITEMS = 8;

function criteriaLines(data: DigestData): string[] {
  return flattenProgress(data.report.criteria.map(toProgress)).map(({ path, depth, node }) => {
    const indent = '\u2003'.repeat(depth);
    const unknown = node.percent === null ? ' _(no figure yet)_' : '';
    return `${indent}${path}. ${bar(node.percent)} ${percentText(node.percent)}${delta(data.criterionDelta[path])}  ${link(node.url, node.title)}${unknown}${criterionNotes(node)}`;
  });
}

function toProgress(c: DigestData['report']['criteria'][number]): {
  id: null;
  title: string;
  url: string | null;
  percent: number | null;
  source: null;
  owner: string | null;
  flag: string | null;
  children: ReturnType<typeof toProgress>[];
} {
  return {
    id: null,
    title: c.title,
    url: c.url,
    percent: c.percent,
    source: null,
    owner: c.owner,
    flag: c.flag,
    children: c.children.map(toProgress),
  };
}

function changeLines(data: DigestData, viewer: Viewer, byKey: Map<string, StatusItem>): string[] {
  const lines: string[] = [];
  const show = (key: string, title: string, confidential: boolean) => {
    const item = byKey.get(key);
    if (confidential) return '_a confidential item_';
    return link(item?.url ?? null, title);
  };
  for (const i of data.diff.closed)
    lines.push(`:white_check_mark: closed: ${show(i.key, i.title, i.confidential)}`);
  for (const i of data.diff.added)
    lines.push(`:heavy_plus_sign: added: ${show(i.key, i.title, i.confidential)}`);
  for (const i of data.diff.reopened)
    lines.push(`:leftwards_arrow_with_hook: reopened: ${show(i.key, i.title, i.confidential)}`);
  for (const s of data.diff.slipped) {
    lines.push(
      `:turtle: slipped: ${show(s.item.key, s.item.title, s.item.confidential)} — ${esc(s.from)} → ${esc(s.to)}`,
    );
  }
  for (const i of data.diff.removed)
    lines.push(
      `:heavy_minus_sign: gone from GitLab: ${i.confidential ? '_a confidential item_' : esc(i.title)}`,
    );
  void viewer;
  return lines;
}

/**
 * The weekly digest, for everyone in the channel: overall % and its change, each exit criterion with its
 * change, this sprint's items, overdue items with their owners mentioned, what changed, sprint roll-over,
 * days to the target, and the epic. Long lists move to a thread reply so the post stays readable.
 */
export function digestView(
  data: DigestData,
  viewer: Viewer,
  options: {
    marker: string;
    metrics: string | null;
    late?: DigestDraft['late'];
    /** Slack's own chart block in the post (default); false when Slack refused it and a PNG follows. */
    nativeChart?: boolean;
  },
): DigestView {
  const { report } = data;
  const byKey = new Map(report.items.map((i) => [`i${i.id}`, i]));
  const main: Block[] = [];
  const thread: Block[] = [];
  const headerBlock = header(`Weekly digest — ${report.name}`);
  main.push({ ...headerBlock, block_id: digestBlockId(options.marker) });
  const target =
    report.lifecycle !== 'active'
      ? timeLine(report)
      : report.targetEndDate
        ? `:dart: ${longDate(report.targetEndDate)} · ${formatDaysLeft(report.daysLeft)}`
        : ':dart: no target date';
  main.push(
    context(
      target,
      `:arrows_counterclockwise: ${freshness(report, viewer)}`,
      data.epicUrl ? link(data.epicUrl, 'Epic / board') : '',
    ),
  );
  if (options.late) main.push(lateNotice(options.late, viewer));
  main.push(...syncWarning(report, viewer));
  const today = report.today;
  const top = [forecastLine(report, today), whatChanged(data, today)].filter((l) => l !== null);
  if (top.length > 0) main.push(section(top.join('\n')));
  main.push(section(`${overallLine(report)}${overallChange(data)}`));
  const chart =
    options.nativeChart === false ? null : burnupChartBlock(data.chart, digestChartBlockId(options.marker));
  if (chart) main.push(chart, context(chartAltText(chart)));

  const criteria = criteriaLines(data);
  if (criteria.length > 0) {
    main.push(...lineSections('*Exit criteria*', criteria.slice(0, MAIN_CRITERIA), MAIN_CRITERIA, () => ''));
    if (criteria.length > MAIN_CRITERIA) {
      main.push(
        context(
          `…and ${plural(criteria.length - MAIN_CRITERIA, 'more criterion', 'more criteria')} in the thread`,
        ),
      );
      thread.push(...lineSections('*All exit criteria*', criteria, 400, (n) => `…and ${n} more`));
    }
  }
  main.push(divider());

  const sprint = report.currentSprint;
  if (sprint) {
    const inSprint = report.items.filter((i) => i.sprint === sprint.title);
    const dates =
      sprint.startDate && sprint.endDate
        ? ` (${shortDate(sprint.startDate, today)} – ${shortDate(sprint.endDate, today)})`
        : '';
    const lines = itemLines(
      [...inSprint].sort((a, b) => Number(a.state === 'done') - Number(b.state === 'done')),
      viewer,
      { showSprint: false },
    );
    main.push(
      ...lineSections(
        `*This sprint — ${esc(sprint.title)}${dates}:* ${countsLine(inSprint, viewer)}`,
        lines.slice(0, MAIN_ITEMS),
        MAIN_ITEMS,
        () => '',
      ),
    );
    if (lines.length > MAIN_ITEMS) {
      main.push(context(`…and ${lines.length - MAIN_ITEMS} more in the thread`));
      thread.push(...lineSections(`*${esc(sprint.title)} — all items*`, lines, 300, (n) => `…and ${n} more`));
    }
  }

  const overdue = report.items.filter((i) => i.overdue);
  if (overdue.length > 0) {
    const lines = itemLines(overdue, viewer);
    main.push(
      ...lineSections(`*Overdue (${overdue.length})*`, lines.slice(0, MAIN_ITEMS), MAIN_ITEMS, () => ''),
    );
    if (lines.length > MAIN_ITEMS) {
      main.push(context(`…and ${lines.length - MAIN_ITEMS} more overdue in the thread`));
      thread.push(...lineSections('*All overdue items*', lines, 300, (n) => `…and ${n} more`));
    }
  } else {
    main.push(section('*Overdue:* nothing :tada:'));
  }

  for (const r of data.rollovers) {
    const moved = r.movedOn.map(
      (m) =>
        `${m.item?.confidential ? '_a confidential item_' : link(m.item?.url ?? null, m.title)} → ${esc(m.to)}`,
    );
    const open = itemLines(r.stillOpen, viewer);
    const count = moved.length + r.stillOpen.length;
    const title = `*${esc(r.sprint)} ended ${shortDate(r.endDate, today)}* — ${count === 0 ? 'everything in it was done :tada:' : `${plural(count, 'item', 'items')} slipped`}`;
    const lines = [...moved, ...open];
    main.push(...lineSections(title, lines.slice(0, MAIN_ITEMS), MAIN_ITEMS, () => ''));
    if (lines.length > MAIN_ITEMS) {
      main.push(context(`…and ${lines.length - MAIN_ITEMS} more from ${esc(r.sprint)} in the thread`));
      thread.push(
        ...lineSections(`*What slipped from ${esc(r.sprint)}*`, lines, 300, (n) => `…and ${n} more`),
      );
    }
  }

  if (data.previous) {
    const changes = changeLines(data, viewer, byKey);
    const title = `*Since the last digest (${shortDate(data.previous.postedAt.slice(0, 10), today)})*`;
    if (changes.length === 0) main.push(section(`${title}: no changes`));
    else {
      main.push(...lineSections(title, changes.slice(0, MAIN_ITEMS), MAIN_ITEMS, () => ''));
      if (changes.length > MAIN_ITEMS) {
        main.push(
          context(`…and ${plural(changes.length - MAIN_ITEMS, 'more change', 'more changes')} in the thread`),
        );
        thread.push(
          ...lineSections('*All changes since the last digest*', changes, 300, (n) => `…and ${n} more`),
        );
      }
    }
  } else {
    main.push(
      section(
        `*First digest:* tracking ${plural(report.counts.items, 'action item', 'action items')} (${report.counts.done} done).`,
      ),
    );
  }

  if (options.metrics) main.push(context(options.metrics));
  main.push(context('`/wg status` for the whole picture · `/wg items mine` for yours'));

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
              i === 0 ? { ...b, block_id: digestThreadBlockId(options.marker) } : b,
            ),
          }
        : null,
  };
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
