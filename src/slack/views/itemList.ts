import type { StatusItem, StatusReport } from '../../services/status.js';
import { type Block, context, fitBlocks, LIMITS, section } from './blocks.js';
import type { Viewer } from './common.js';
import { itemWithButtons } from './itemBlocks.js';
import { itemsView } from './lists.js';
import type { MessageView } from './status.js';
import { mrkdwn } from './mrkdwn.js';

/** Which items `/wg items` lists. */
export type ItemFilter =
  { kind: 'all' } | { kind: 'mine' } | { kind: 'overdue' } | { kind: 'sprint'; number: number | null };

interface Selection {
  items: StatusItem[];
  title: string;
  empty: string;
}

function select(report: StatusReport, filter: ItemFilter, readerId: string): Selection {
  switch (filter.kind) {
    case 'all':
      return {
        items: report.items,
        title: 'all action items',
        empty: mrkdwn`No action items yet. Link the epic with \`/wg link <url>\`.`,
      };
    case 'overdue':
      return {
        items: report.items.filter((i) => i.overdue),
        title: 'overdue items',
        empty: 'Nothing is overdue. :tada:',
      };
    case 'mine':
      return {
        items: report.items.filter((i) => i.ownerSlackUserIds.includes(readerId)),
        title: 'your items',
        empty:
          'You own no action items here. (wgbot matches you by your Slack name, GitLab username or `/wg role`.)',
      };
    case 'sprint': {
      const current = report.currentSprint;
      // An untitled GitLab iteration has no number ('Iteration · Mar 1–14'): its items go by its title.
      if (filter.number === null && current && current.number === null)
        return {
          items: report.items.filter((i) => i.sprint === current.title),
          title: `this sprint (${current.title})`,
          empty: `Nothing planned in ${current.title}.`,
        };
      const number = filter.number ?? current?.number ?? null;
      return {
        items: report.items.filter(
          (i) => number !== null && i.sprint !== null && new RegExp(`\\b${number}\\b`).test(i.sprint),
        ),
        title: number === null ? 'this sprint' : `sprint ${number}`,
        empty:
          number === null
            ? 'No current sprint is known: say which, like `/wg items sprint 21`.'
            : `Nothing planned in sprint ${number}.`,
      };
    }
  }
}

/**
 * `/wg items …`, and its redraw after a button click: the reader's and the overdue items come with
 * buttons on the open ones (the first twenty; Slack allows 50 blocks), the other lists as lines.
 */
export function itemListView(report: StatusReport, filter: ItemFilter, viewer: Viewer): MessageView {
  const { items, title, empty } = select(report, filter, viewer.slackUserId ?? '');
  const view = itemsView(report, title, items, viewer, empty);
  if (filter.kind !== 'mine' && filter.kind !== 'overdue') return view;
  const actionable = items.filter((i) => i.state === 'open').slice(0, 20);
  const blocks: Block[] = [
    view.blocks[0]!,
    ...actionable.flatMap((i) =>
      itemWithButtons(i, viewer, { view: 'items', slug: report.slug, filter: filter.kind }),
    ),
  ];
  const rest = items.length - actionable.length;
  if (rest > 0) blocks.push(context(`…and ${rest} more (done or further down the list)`));
  if (items.length === 0) blocks.push(section(empty));
  return { text: view.text, blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…')) };
}
