import { ROLE_KIND_ORDER } from '../../domain/roles.js';
import { formatAge, formatDaysLeft, formatLifecycle, formatOverall } from '../../format.js';
import type { StatusReport, StatusRole } from '../../services/status.js';
import { type Block, context, divider, fitBlocks, header, LIMITS, lineSections, section } from './blocks.js';
import {
  countsLine,
  criterionLines,
  forecastLine,
  itemLines,
  localDateTime,
  overallLine,
  shortDate,
  timeLine,
  type Viewer,
} from './common.js';
import { disagreeCount } from './drift.js';
import { channelMention, link, mention, esc } from './mrkdwn.js';

export interface MessageView {
  /** The notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: Block[];
}

const MAX_CRITERIA_LINES = 30;
const MAX_ITEM_LINES = 15;

export function freshness(report: StatusReport, viewer: Viewer): string {
  if (!report.syncedAt) return report.syncError ? 'never synced from GitLab' : 'not linked to GitLab';
  return `synced ${formatAge(report.syncedAt, viewer.now)}`;
}

/** The sync-failure warning every status-like view carries: the data is old, and this is why. */
export function syncWarning(report: StatusReport, viewer: Viewer): Block[] {
  if (!report.syncError) return linkWarnings(report, viewer);
  const lastGood = report.syncedAt
    ? `Showing data from ${localDateTime(new Date(report.syncedAt), viewer.timeZone)}.`
    : '';
  return [
    context(
      `:warning: Last GitLab sync failed ${formatAge(report.syncError.at, viewer.now)}: ${esc(report.syncError.message.slice(0, 300))}. ${lastGood}`,
    ),
  ];
}

/** A link that fails while the group's others sync: its items are as its last good fetch left them. */
function linkWarnings(report: StatusReport, viewer: Viewer): Block[] {
  const failing = report.links.filter((l) => l.error);
  if (failing.length === 0) return [];
  const lines = failing.slice(0, 3).map((l) => {
    const since = l.lastOkAt
      ? ` Its items are from ${localDateTime(new Date(l.lastOkAt), viewer.timeZone)}.`
      : '';
    return `:warning: GitLab link ${esc(l.title ?? l.url)} failed ${formatAge(l.error!.at, viewer.now)}: ${esc(l.error!.message.slice(0, 200))}.${since}`;
  });
  if (failing.length > 3) lines.push(`…and ${failing.length - 3} more failing links.`);
  return [context(lines.join('\n'))];
}

/** One line per role: its label and up to six people. */
export function roleLines(roles: StatusRole[]): string[] {
  const byRole = new Map<string, StatusRole[]>();
  const ordered = [...roles].sort(
    (a, b) => ROLE_KIND_ORDER.indexOf(a.kind) - ROLE_KIND_ORDER.indexOf(b.kind),
  );
  for (const r of ordered) byRole.set(r.role, [...(byRole.get(r.role) ?? []), r]);
  return [...byRole.entries()].map(([role, people]) => {
    const names = people.map((p) => mention(p.slackUserId, p.name));
    const shown = names.length > 6 ? [...names.slice(0, 6), `+${names.length - 6}`] : names;
    return `*${esc(role)}:* ${shown.join(', ')}`;
  });
}

/** '62% overall · 4 of 6 criteria measured, 2 overdue, 12 days left' — or 'Ended on 2024-03-01, …'. */
export function statusSummary(report: StatusReport): string {
  const time = formatLifecycle(report.lifecycle, report.endedOn) ?? formatDaysLeft(report.daysLeft);
  return `${formatOverall(report.overall, report.coverage)}, ${report.counts.overdue} overdue, ${time}`;
}

/** The header, the target / freshness / channel line, any sync warning, and the forecast and overall figure. */
function statusHeader(report: StatusReport, viewer: Viewer): Block[] {
  const channel = report.channelId
    ? channelMention(report.channelId)
    : report.channel
      ? esc(report.channel)
      : '';
  const forecast = forecastLine(report, report.today);
  return [
    header(report.name),
    context(timeLine(report), `:arrows_counterclockwise: ${freshness(report, viewer)}`, channel),
    ...syncWarning(report, viewer),
    section(forecast ? `${forecast}\n${overallLine(report)}` : overallLine(report)),
    divider(),
  ];
}

/** The exit criteria, or how to get some. */
function statusCriteria(report: StatusReport, now: Date): Block[] {
  const criteria = criterionLines(report.criteria, now);
  return criteria.length > 0
    ? lineSections(
        '*Exit criteria*',
        criteria,
        MAX_CRITERIA_LINES,
        (n) => `…and ${n} more — \`/wg criteria\` lists them all`,
      )
    : [section('*Exit criteria*\n_None yet: import the handbook page with `wgbot import`._')];
}

/** This sprint's items, open ones first; nothing when there is no current sprint. */
function statusSprint(report: StatusReport, viewer: Viewer): Block[] {
  const sprint = report.currentSprint;
  if (!sprint) return [];
  const inSprint = report.items.filter((i) => i.sprint === sprint.title);
  const dates =
    sprint.startDate && sprint.endDate
      ? ` (${shortDate(sprint.startDate, report.today)} – ${shortDate(sprint.endDate, report.today)})`
      : '';
  const title = `*This sprint — ${esc(sprint.title)}${dates}:* ${countsLine(inSprint, viewer)}`;
  const lines = itemLines(
    [...inSprint].sort((a, b) => Number(a.state === 'done') - Number(b.state === 'done')),
    viewer,
    {
      showSprint: false,
      limit: MAX_ITEM_LINES,
      more: (n) =>
        `…and ${n} more — \`/wg items sprint${sprint.number !== null ? ` ${sprint.number}` : ''}\``,
    },
  );
  return lineSections(title, lines, MAX_ITEM_LINES + 2, () => '');
}

/** The overdue items, or that there are none while some are open. */
function statusOverdue(report: StatusReport, viewer: Viewer): Block[] {
  const overdue = report.items.filter((i) => i.overdue);
  if (overdue.length > 0) {
    return lineSections(
      `*Overdue (${overdue.length})*`,
      itemLines(overdue, viewer, {
        limit: MAX_ITEM_LINES,
        more: (n) => `…and ${n} more — \`/wg items overdue\``,
      }),
      MAX_ITEM_LINES + 2,
      () => '',
    );
  }
  if (report.counts.open > 0) {
    return [section(`*Overdue:* nothing :tada: · ${report.counts.open} open, ${report.counts.done} done`)];
  }
  return [];
}

/** Who holds which role, after a divider; nothing when nobody does. */
function statusRoles(report: StatusReport): Block[] {
  if (report.roles.length === 0) return [];
  return [
    divider(),
    ...lineSections('', roleLines(report.roles), 20, (n) => `…and ${n} more roles: \`/wg role list\``),
  ];
}

/** The task board and agenda links, and who can see this reply. */
function statusFooter(report: StatusReport, viewer: Viewer): Block[] {
  const links = [
    report.taskBoardUrl ? link(report.taskBoardUrl, 'Task board') : '',
    report.docUrl ? link(report.docUrl, 'Agenda doc') : '',
  ].filter(Boolean);
  const footer = [
    ...links,
    viewer.audience === 'private' ? 'Only you can see this · `/wg status share` posts it to the channel' : '',
  ].filter(Boolean);
  return footer.length > 0 ? [context(...footer)] : [];
}

/** "3 things disagree" between the plan and GitLab, and where to see them; nothing when they agree. */
function driftNotice(report: StatusReport): Block[] {
  if (!report.disagreements) return [];
  return [
    context(
      `:left_right_arrow: ${disagreeCount(report.disagreements)} between the plan and GitLab · \`/wg drift\` shows them`,
    ),
  ];
}

/** `/wg status`: the whole group on one screen. */
export function statusView(report: StatusReport, viewer: Viewer): MessageView {
  const blocks: Block[] = [
    ...statusHeader(report, viewer),
    ...statusCriteria(report, viewer.now),
    ...statusSprint(report, viewer),
    ...statusOverdue(report, viewer),
    ...statusRoles(report),
    ...driftNotice(report),
    ...statusFooter(report, viewer),
  ];
  return {
    text: `${esc(report.name)}: ${statusSummary(report)}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…more in `/wg criteria` and `/wg items`')),
  };
}
