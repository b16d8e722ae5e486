import type { ModalView } from '@slack/types';
import type { Answers, AreaFigures, Questionnaire, RoundSummary } from '../../domain/assessment.js';
import { plural } from '../../format.js';
import type { BacklogOutcome } from '../../services/assessmentBacklog.js';
import type { AssessmentInvite, RoundReport } from '../../services/teamHealthPorts.js';
import { ACTIONS, VIEWS } from './actionIds.js';
import { actions, type Block, button, context, header, LIMITS, section } from './blocks.js';
import { localDateTime, type Viewer } from './common.js';
import { esc, link, type Mrkdwn, mention, mrkdwn, plain } from './mrkdwn.js';

/** mrkdwn pieces joined: still mrkdwn, since the separator is plain text without markup. */
const joined = (parts: Mrkdwn[], separator: string) => parts.join(separator) as Mrkdwn;
import type { MessageView } from './status.js';

/** Block IDs of the modal's fields: a score and a note per question, read back by these. */
export const scoreBlock = (questionId: string) => `score:${questionId}`;
export const noteBlock = (questionId: string) => `note:${questionId}`;
export const FIELD = 'value';

/** The DM that asks a member to answer, with the button that opens the form. */
export function assessmentInviteView(
  invite: AssessmentInvite,
  viewer: Viewer,
  reminder = false,
): MessageView {
  const due = localDateTime(invite.dueAt, viewer.timeZone);
  const lead = reminder
    ? mrkdwn`:hourglass_flowing_sand: A reminder: the *${esc(invite.questionnaire)}* of *${esc(invite.group.name)}* closes ${esc(due)}.`
    : mrkdwn`:clipboard: *${esc(invite.group.name)}* asks you for its *${esc(invite.questionnaire)}*: a few questions, each scored 1–5, with a note if you like. It closes ${esc(due)}.`;
  return {
    text: reminder
      ? `Reminder: the ${invite.questionnaire} of ${invite.group.name} closes ${due}`
      : `${invite.group.name} asks you for its ${invite.questionnaire}`,
    blocks: [
      section(lead),
      actions(`assess|${invite.roundId}`, [
        button(ACTIONS.assessOpen, 'Answer', { value: String(invite.roundId), style: 'primary' }),
      ]),
      context(
        'Only you and the group’s facilitators see your answers; the channel sees the team’s averages.',
      ),
    ],
  };
}

const SCORES = [
  { value: '1', text: '1 – not at all' },
  { value: '2', text: '2 – rarely' },
  { value: '3', text: '3 – sometimes' },
  { value: '4', text: '4 – mostly' },
  { value: '5', text: '5 – fully, everywhere' },
];

/** The form: per area a heading, per question a 1–5 choice and an optional note (earlier answers filled in). */
export function assessmentModal(
  roundId: number,
  questionnaire: Questionnaire,
  earlier: Answers | null,
): ModalView {
  const blocks: unknown[] = [];
  for (const area of questionnaire.areas) {
    blocks.push(header(area.title));
    for (const q of area.questions) {
      const score = earlier?.scores[q.id];
      const initial = SCORES.find((s) => s.value === String(score));
      blocks.push({
        type: 'input',
        block_id: scoreBlock(q.id),
        label: { type: 'plain_text', text: plain(q.text, 2000) },
        element: {
          type: 'static_select',
          action_id: FIELD,
          options: SCORES.map((s) => ({ value: s.value, text: { type: 'plain_text', text: s.text } })),
          ...(initial
            ? { initial_option: { value: initial.value, text: { type: 'plain_text', text: initial.text } } }
            : {}),
        },
      });
      blocks.push({
        type: 'input',
        block_id: noteBlock(q.id),
        optional: true,
        label: { type: 'plain_text', text: 'Note' },
        element: {
          type: 'plain_text_input',
          action_id: FIELD,
          max_length: 500,
          ...(earlier?.notes[q.id] ? { initial_value: earlier.notes[q.id] } : {}),
        },
      });
    }
  }
  return {
    type: 'modal',
    callback_id: VIEWS.assessment,
    private_metadata: JSON.stringify({ roundId }),
    title: { type: 'plain_text', text: plain('Self-assessment', LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: blocks.slice(0, LIMITS.surfaceBlocks) as ModalView['blocks'],
  };
}

const signed = (n: number) => (n > 0 ? `+${n.toFixed(1)}` : n.toFixed(1));

function areaLine(a: AreaFigures): Mrkdwn {
  if (a.score === null) return mrkdwn`• *${esc(a.title)}*: no scores`;
  const change = a.change === null ? 'first round' : `${signed(a.change)} since the last round`;
  return mrkdwn`• *${esc(a.title)}*: ${esc(a.score.toFixed(1))} of 5 (${esc(change)}; spread ${esc(a.spread!.toFixed(1))} between members)`;
}

/** The channel's summary of a closed round: aggregates only, and none below three answers. */
export function roundSummaryView(report: RoundReport): MessageView {
  const title = `${report.questionnaire} of ${report.group.name}: results`;
  const answered = mrkdwn`${report.summary.answers} of ${report.invited} members answered.`;
  if (report.summary.kind === 'too-few')
    return {
      text: `${title}: too few answers to show`,
      blocks: [
        header(title),
        section(
          mrkdwn`${answered} With fewer than ${report.summary.needed} answers wgbot shows no figures: they would tell who said what.`,
        ),
      ],
    };
  const summary = report.summary as Extract<RoundSummary, { kind: 'summary' }>;
  const lowest = joined(
    summary.lowest.map((a) => mrkdwn`*${esc(a.title)}* (${esc(a.score!.toFixed(1))})`),
    ', ',
  );
  const blocks: Block[] = [
    header(title),
    section(answered),
    section(joined(summary.areas.map(areaLine), '\n')),
    section(mrkdwn`Lowest-scoring: ${lowest}`),
  ];
  if (report.gaps.length > 0)
    blocks.push(
      section(
        mrkdwn`Gaps (below the threshold): ${esc(report.gaps.join(', '))}. Facilitators can file them as backlog issues.`,
      ),
      actions(`assess|${report.roundId}`, [
        button(ACTIONS.assessIssues, 'Create backlog issues', { value: String(report.roundId) }),
      ]),
    );
  return { text: `${title}: ${summary.answers} answers`, blocks };
}

/** Someone's own answers (or everyone's, for a facilitator), question by question. */
export function answersView(
  questionnaire: Questionnaire,
  people: { slackUserId: string; answers: Answers }[],
  heading: string,
): MessageView {
  if (people.length === 0)
    return { text: heading, blocks: [section(mrkdwn`*${esc(heading)}*: no answers yet.`)] };
  const blocks: Block[] = [header(heading)];
  for (const person of people.slice(0, 40)) {
    const lines = questionnaire.areas.flatMap((area) =>
      area.questions.map((q) => {
        const note = person.answers.notes[q.id];
        const score = person.answers.scores[q.id];
        return mrkdwn`• ${esc(area.title)} — ${esc(q.text)}: *${esc(score === undefined ? '–' : String(score))}*${note ? mrkdwn` _${esc(note)}_` : esc('')}`;
      }),
    );
    blocks.push(section(mrkdwn`${mention(person.slackUserId, person.slackUserId)}\n${joined(lines, '\n')}`));
  }
  return { text: heading, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/** What `/wg assess start` says to the one who started it. */
export function roundStartedView(
  invited: number,
  unreachable: string[],
  dueAt: Date,
  viewer: Viewer,
): MessageView {
  const text = `Round started: ${plural(invited, 'member', 'members')} asked by DM; it closes ${localDateTime(dueAt, viewer.timeZone)}.`;
  const missed =
    unreachable.length > 0
      ? [context(mrkdwn`Not reached in Slack: ${esc(unreachable.slice(0, 20).join(', '))}.`)]
      : [];
  return { text, blocks: [section(esc(text)), ...missed] };
}

/** A one-line answer (refusals, "already open", a closed round). */
export function assessNotice(text: string): MessageView {
  return { text, blocks: [section(esc(text))] };
}

/** What "Create backlog issues" did, for the facilitator who pressed it. */
export function backlogView(outcome: BacklogOutcome): MessageView {
  switch (outcome.kind) {
    case 'filed': {
      const lines = outcome.issues.map(
        (i) =>
          mrkdwn`• ${link(i.webUrl, i.area)}${esc(i.linked ? ' (added to the epic)' : ' (not added to an epic)')}`,
      );
      const already =
        outcome.already.length > 0 ? [mrkdwn`Filed before: ${esc(outcome.already.join(', '))}.`] : [];
      const text = `${plural(outcome.issues.length, 'backlog issue', 'backlog issues')} filed`;
      return { text, blocks: [section(joined([esc(`${text}:`), ...lines, ...already], '\n'))] };
    }
    case 'needs-api-scope':
      return assessNotice(
        'GitLab refused to create the issues: wgbot’s GITLAB_TOKEN needs the `api` scope to write (it has read access only).',
      );
    case 'no-gaps':
      return assessNotice('No area scored below the threshold: no backlog issues to file.');
    case 'too-few':
      return assessNotice('The round had fewer than three answers: wgbot files no issues from it.');
    case 'no-project':
      return assessNotice(
        'wgbot does not know which GitLab project to file into: link the group’s stories, or set `backlog.project` in its questionnaire.',
      );
    case 'no-gitlab':
      return assessNotice('wgbot has no GITLAB_TOKEN: it cannot file issues.');
    case 'no-round':
      return assessNotice('That round is not closed, or not this group’s.');
    default:
      return assessNotice(`GitLab did not take the issues: ${outcome.reason}`);
  }
}
