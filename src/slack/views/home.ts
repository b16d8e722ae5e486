import type { HomeView, ModalView } from '@slack/types';
import { formatDaysLeft } from '../../format.js';
import type { StoredCriterionChange } from '../../services/criteriaHistory.js';
import type { GroupSummary } from '../../services/groupList.js';
import type { StatusItem, StatusReport } from '../../services/status.js';
import { ACTIONS, VIEWS } from './actionIds.js';
import { type Block, button, context, divider, fitBlocks, header, LIMITS, section } from './blocks.js';
import { forecastLine, groupFigure, longDate, type Viewer } from './common.js';
import { recentChangesBlocks } from './history.js';
import { itemWithButtons, remainingItems } from './itemBlocks.js';
import { esc, plain } from './mrkdwn.js';
import { statusView } from './status.js';

export interface HomeItem {
  group: { slug: string; name: string };
  item: StatusItem;
}

const MAX_ITEMS_WITH_BUTTONS = 20;

/** The App Home tab: my action items (overdue first), my working groups, and buttons to open each status. */
export function homeView(
  items: HomeItem[],
  groups: GroupSummary[],
  viewer: Viewer,
  changes: (StoredCriterionChange & { groupName: string })[] = [],
): HomeView {
  const open = items.filter((i) => i.item.state === 'open');
  const ordered = [
    ...open.filter((i) => i.item.overdue),
    ...open
      .filter((i) => !i.item.overdue)
      .sort((a, b) => (a.item.dueDate ?? '9999').localeCompare(b.item.dueDate ?? '9999')),
  ];
  const blocks: Block[] = [header('My action items')];
  if (ordered.length === 0) {
    blocks.push(section('Nothing open for you. :sparkles:'));
  } else {
    const overdue = ordered.filter((i) => i.item.overdue).length;
    blocks.push(context(`${ordered.length} open${overdue > 0 ? ` · :red_circle: ${overdue} overdue` : ''}`));
    for (const { group, item } of ordered.slice(0, MAX_ITEMS_WITH_BUTTONS)) {
      blocks.push(...itemWithButtons(item, viewer, { view: 'home' }));
      blocks.push(context(`*${esc(group.name)}*`));
    }
    const rest = ordered.slice(MAX_ITEMS_WITH_BUTTONS).map((i) => i.item);
    if (rest.length > 0) blocks.push(...remainingItems(rest, viewer, 30));
  }
  blocks.push(divider(), header('My working groups'));
  if (groups.length === 0) {
    blocks.push(section('You have no role in a working group yet. `/wg list` shows them all.'));
  }
  for (const g of groups) {
    const target = g.targetEndDate
      ? `target ${longDate(g.targetEndDate)}, ${formatDaysLeft(g.daysLeft)}`
      : 'no target date';
    const forecast = forecastLine(g, g.today);
    blocks.push(
      section(
        `${groupFigure(g)}  *${esc(g.name)}*\n${target}${g.counts.overdue > 0 ? ` · :red_circle: ${g.counts.overdue} overdue` : ''}${forecast ? `\n${forecast}` : ''}`,
        button(ACTIONS.openStatus, 'Open status', { value: g.slug }),
      ),
    );
  }
  if (changes.length > 0) blocks.push(divider(), ...recentChangesBlocks(changes, viewer));
  return {
    type: 'home',
    blocks: fitBlocks(blocks, LIMITS.surfaceBlocks, () =>
      context('…more: `/wg items mine` lists everything'),
    ),
  };
}

/** A group's status in a modal, opened from the App Home. */
export function statusModal(report: StatusReport, viewer: Viewer): ModalView {
  const { blocks } = statusView(report, viewer);
  return {
    type: 'modal',
    callback_id: VIEWS.status,
    title: { type: 'plain_text', text: plain(report.name, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: fitBlocks(blocks, LIMITS.surfaceBlocks, () => context('…')),
  };
}

/**
 * What *Open status* shows at once, while the status is read: the trigger Slack gives a click is good for 3
 * seconds, so the modal opens before anything else is asked, and `statusModal` replaces this.
 */
export function statusLoadingModal(groupName: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.status,
    title: { type: 'plain_text', text: plain(groupName, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`:hourglass_flowing_sand: Reading the status of *${esc(groupName)}*…`)],
  };
}

/** The App Home with a line on top saying what just happened (a button that could not do its work). */
export function homeWithNotice(home: HomeView, notice: string | null): HomeView {
  return notice ? { ...home, blocks: [section(notice), ...home.blocks].slice(0, 100) } : home;
}
