import type { StatusReport } from '../../services/status.js';
import type { WritebackOutcome } from '../../services/writeback.js';
import { ACTIONS } from './actionIds.js';
import { actions, type Block, button, section } from './blocks.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** Block id of the digest's write-back button (one per post). */
export const WRITEBACK_BLOCK = 'writeback';

type Figures = Pick<StatusReport['criteria'][number], 'source' | 'children'>;

const fromElsewhere = (nodes: Figures[]): boolean =>
  nodes.some((c) => (c.source !== null && c.source !== 'handbook') || fromElsewhere(c.children));

/**
 * The digest's "Update the handbook page" button, for the group's facilitators (the listener checks):
 * shown only when some figure comes from somewhere other than the page, so the page may be behind.
 */
export function writebackActions(report: Pick<StatusReport, 'slug' | 'criteria'>): Block[] {
  if (!fromElsewhere(report.criteria)) return [];
  return [
    actions(WRITEBACK_BLOCK, [
      button(ACTIONS.writebackOpen, 'Update the handbook page', { value: report.slug }),
    ]),
  ];
}

/** What a press of the button did, for the facilitator who pressed it. */
export function writebackNoticeView(outcome: WritebackOutcome): MessageView {
  const text = writebackNotice(outcome);
  return { text, blocks: [section(text)] };
}

function writebackNotice(outcome: WritebackOutcome): string {
  switch (outcome.kind) {
    case 'not-configured':
    case 'no-page':
    case 'read-only':
      return `:warning: The handbook page was not changed: ${esc(outcome.reason)}.`;
    case 'up-to-date':
      return `:white_check_mark: The handbook page already shows wgbot's figures; nothing to change.`;
    case 'dry-run':
      return `Would change ${outcome.changes.length} marker(s).`;
    case 'opened':
    case 'updated': {
      const what = outcome.kind === 'opened' ? 'Opened' : 'Updated';
      return `:memo: ${what} ${link(outcome.mr.url, `merge request !${outcome.mr.iid}`)}: ${outcome.changes.length} marker(s) in \`${esc(outcome.filePath)}\` set to wgbot's figures.`;
    }
  }
}
