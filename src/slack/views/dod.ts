import type { WorkingGroup } from '../../domain/types.js';
import { describeDod, type DodRules } from '../../domain/dod.js';
import type { DodReport, StoryCheck } from '../../services/dodService.js';
import { type Block, context, header, section } from './blocks.js';
import { esc, link, type Mrkdwn, mrkdwn } from './mrkdwn.js';
import type { MessageView } from './status.js';
import { UNREADABLE_TITLE, type Viewer } from './common.js';

/** A group's Definition-of-Done rules, and whether its digest carries the check. */
export function dodRulesView(group: WorkingGroup, rules: DodRules, chosen: boolean): MessageView {
  const text = `Definition of Done of ${group.name}: ${describeDod(rules)}`;
  const where = chosen
    ? 'The weekly digest lists the stories closed without meeting it.'
    : 'Not in the digest yet: a facilitator turns it on with `/wg dod on`.';
  return {
    text,
    blocks: [
      section(esc(text)),
      context(
        esc(where),
        esc(
          'Change it: `/wg dod pipeline required|optional`, `/wg dod tests required|optional`, `/wg dod exempt LABEL|none`, `/wg dod off`.',
        ),
      ),
    ],
  };
}

/** The story's link and title; a confidential story, or one the reader cannot see in GitLab, by number only. */
function storyTitle(s: StoryCheck, viewer: Viewer): Mrkdwn {
  if (viewer.unreadable?.has(s.id)) return mrkdwn`#${s.iid} ${UNREADABLE_TITLE as Mrkdwn}`;
  if (s.confidential) return mrkdwn`#${s.iid} ${'_confidential story_' as Mrkdwn}`;
  return link(s.url, `#${s.iid} ${s.title.slice(0, 80)}`);
}

function storyLine(s: StoryCheck, viewer: Viewer): Mrkdwn {
  const what = storyTitle(s, viewer);
  switch (s.result.verdict) {
    case 'pass':
      return mrkdwn`:white_check_mark: ${what}`;
    case 'exempt':
      return mrkdwn`:heavy_minus_sign: ${what} — exempt`;
    case 'unknown':
      return mrkdwn`:grey_question: ${what} — unknown: GitLab did not say`;
    default:
      return mrkdwn`:x: ${what} — ${esc(s.result.reason)}`;
  }
}

/** The check for a period, story by story, with only the titles the reader may see. */
export function dodReportView(report: DodReport, viewer: Viewer): MessageView {
  const failing = report.stories.filter((s) => s.result.verdict === 'fail').length;
  const title = `Definition of Done since ${report.since.slice(0, 10)}: ${failing} of ${report.stories.length} closed stories fail`;
  const blocks: Block[] = [header(title)];
  if (report.stories.length > 0)
    blocks.push(
      section(
        report.stories
          .slice(0, 40)
          .map((s) => storyLine(s, viewer))
          .join('\n') as Mrkdwn,
      ),
    );
  else blocks.push(section(esc('No story was closed in the period.')));
  const notes = [esc(`Rules: ${describeDod(report.rules)}.`)];
  if (report.unchecked > 0)
    notes.push(
      esc(
        `${report.unchecked} more not checked (${report.stopped === 'time' ? 'out of time' : 'too many at once'}).`,
      ),
    );
  blocks.push(context(...notes));
  return { text: title, blocks };
}
