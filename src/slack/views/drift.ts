import { type DriftFinding, describeDrift } from '../../domain/drift.js';
import { plural } from '../../format.js';
import type { DriftReport } from '../../services/drift.js';
import type { DriftActionResult } from '../../services/driftActions.js';
import { ACTIONS } from './actionIds.js';
import { type Block, button, context, fitBlocks, header, LIMITS, section } from './blocks.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** "3 things disagree", the count every surface uses. */
export function disagreeCount(count: number): string {
  return plural(count, 'thing disagrees', 'things disagree');
}

/** Where a finding's story or line can be opened, if anywhere. */
function findingUrl(finding: DriftFinding): string | null {
  if ('story' in finding) return finding.story.url;
  return null;
}

/** The items a finding names (its line, its story), for asking GitLab what a reader may see. */
function itemsOf(finding: DriftFinding): number[] {
  return [
    ...('line' in finding ? [finding.line.itemId] : []),
    ...('story' in finding ? [finding.story.itemId] : []),
  ];
}

/** Every item the report names, as `readerOf` takes them. */
export function driftItemIds(report: DriftReport): { id: number }[] {
  return report.findings.flatMap(itemsOf).map((id) => ({ id }));
}

/**
 * One finding as a mrkdwn line: its sentence (linked to the story when there is one) and its owners. A
 * finding about an item the reader cannot see in GitLab says only that one disagrees.
 */
export function driftLine(finding: DriftFinding, hidden: ReadonlySet<number> = new Set()): string {
  if (itemsOf(finding).some((id) => hidden.has(id)))
    return '• _an item you cannot see in GitLab_ disagrees with the plan';
  const { text, owners } = describeDrift(finding);
  const url = findingUrl(finding);
  const said = url ? link(url, text) : esc(text);
  return `• ${said} — ${owners.length > 0 ? esc(owners.join(', ')) : '_no owner named_'}`;
}

/** All findings as lines, for the digest's section and the thread. */
export function driftLines(report: DriftReport): string[] {
  return report.findings.map((f) => driftLine(f));
}

/** The button a facilitator can press to put a finding right, when wgbot can. */
function fixButton(finding: DriftFinding): ReturnType<typeof button> | undefined {
  if (finding.kind === 'story-missing')
    return button(ACTIONS.driftCreateStory, 'Create the story', {
      value: String(finding.line.itemId),
      style: 'primary',
    });
  if (finding.kind === 'closed-unticked')
    return button(ACTIONS.driftTickLine, 'Tick the line', { value: String(finding.line.itemId) });
  return undefined;
}

/** `/wg drift`: each finding with its owners, and a button where wgbot can put it right. */
export function driftView(report: DriftReport, hidden: ReadonlySet<number> = new Set()): MessageView {
  const title = `Plan vs GitLab — ${report.name}`;
  if (report.findings.length === 0) {
    const note = report.epic ? '' : ' (no epic is linked, so task lines were compared with nothing)';
    return {
      text: `${esc(report.name)}: plan and GitLab agree`,
      blocks: [header(title), section(`:white_check_mark: The plan and GitLab agree${note}.`)],
    };
  }
  const blocks: Block[] = [
    header(title),
    context(
      `${disagreeCount(report.findings.length)}${report.epic ? ` · ${link(report.epic.url, 'the epic')}` : ''}`,
    ),
    ...report.findings.map((f) => section(driftLine(f, hidden), fixButton(f))),
    context(
      '_Create the story_ and _Tick the line_ are for facilitators, and need wgbot’s GitLab token to have the `api` scope',
    ),
  ];
  return {
    text: `${esc(report.name)}: ${disagreeCount(report.findings.length)}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, (n) =>
      context(`…and ${n} more: \`wgbot drift ${esc(report.slug)}\` lists them all`),
    ),
  };
}

/** What a drift button did, in one line beside the message it was pressed in. */
export function driftFixNotice(result: DriftActionResult): string {
  switch (result.kind) {
    case 'created': {
      const who = result.assignee ? `, assigned to ${esc(result.assignee)}` : '';
      const when = result.milestone ? ` in ${esc(result.milestone)}` : '';
      const missing =
        result.unassigned.length > 0
          ? ` No GitLab account known for ${esc(result.unassigned.join(', '))}: assign it in GitLab.`
          : '';
      return `:white_check_mark: Created ${link(result.story.webUrl, result.story.ref)}${who}${when}, linked to the epic and written on the line.${missing}`;
    }
    case 'ticked':
      return `:white_check_mark: Ticked “${esc(result.title)}” in the epic.`;
    case 'already':
      return `:information_source: “${esc(result.title)}” ${result.what} already — nothing to change.`;
    case 'no-api-scope':
      return ":warning: wgbot's GitLab token can only read: this needs the `api` scope. Ask whoever runs wgbot to give its token `api`, or do it in GitLab.";
    case 'cannot':
      return `:warning: Not done — ${esc(result.reason)}.`;
    case 'gone':
      return ':ghost: That line is no longer in the epic.';
  }
}
