import { dueAt } from '../../domain/assessment.js';
import { isIsoDate } from '../../domain/dates.js';
import { holds } from '../gate.js';
import { answersView, assessNotice, roundStartedView } from '../views/assessment.js';
import { fail, ok } from './args.js';
import { groupCommand, type Parsed, privately, viewerOf } from './command.js';

const USAGE = 'assess start [YYYY-MM-DD] | close | mine | answers';
const EXAMPLE = '/wg assess start 2026-12-11';

type AssessArgs = { action: 'start'; due: string | null } | { action: 'close' | 'mine' | 'answers' };

function parseAssess(words: string[]): Parsed<AssessArgs> {
  const [action, due, ...rest] = words;
  if (rest.length > 0) return fail(`Unexpected \`${rest.join(' ')}\`.`, `/wg ${USAGE}`);
  if (action === 'start') {
    if (due !== undefined && !isIsoDate(due))
      return fail(`Give the due date as YYYY-MM-DD, not \`${due}\`.`, EXAMPLE);
    return ok({ action: 'start', due: due ?? null });
  }
  if (due !== undefined) return fail(`Unexpected \`${due}\`.`, `/wg ${USAGE}`);
  if (action === 'close' || action === 'mine' || action === 'answers') return ok({ action });
  return fail(
    `\`/wg assess\` takes \`start\`, \`close\`, \`mine\` or \`answers\`${action ? `, not \`${action}\`` : ''}.`,
    EXAMPLE,
  );
}

/**
 * `/wg assess`: self-assessment rounds. A product owner or facilitator starts one (each member gets a DM
 * with the form) and may close it before its due date; everyone sees their own answers, facilitators all.
 */
export const assessCommand = groupCommand({
  name: 'assess',
  usage: USAGE,
  example: EXAMPLE,
  summary: 'self-assessment rounds: your answers; product owners and facilitators start and close them',
  answersInAck: false,
  requires: (args: AssessArgs) => (args.action === 'answers' ? 'facilitator' : 'member'),
  refusal: (args: AssessArgs) =>
    args.action === 'answers' ? 'read everyone’s answers' : 'take part in the self-assessment',
  slug: () => null,
  parse: parseAssess,
  async run(ctx, args, deps, call) {
    const { assessments } = deps.teamHealth;
    const viewer = viewerOf(deps, call.userId, ctx.group, false);
    if (args.action === 'mine') {
      const mine = assessments.mine(ctx.group, call.userId);
      if (!mine) return privately(assessNotice(`${ctx.group.name} has had no self-assessment round yet.`));
      const people = mine.answer ? [{ slackUserId: call.userId, answers: mine.answer.answers }] : [];
      return privately(
        answersView(mine.round.questionnaire, people, `Your answers: ${mine.round.questionnaire.name}`),
      );
    }
    if (args.action === 'answers') {
      if (!holds(ctx, 'facilitator')) throw new Error('/wg assess answers ran without the facilitator check');
      const all = assessments.allAnswers(ctx.group);
      if (!all) return privately(assessNotice(`${ctx.group.name} has had no self-assessment round yet.`));
      return privately(
        answersView(
          all.round.questionnaire,
          all.answers,
          `Everyone’s answers: ${all.round.questionnaire.name}`,
        ),
      );
    }
    const lead = await deps.gate.assessmentLead(ctx, `${args.action} self-assessment rounds`);
    if (!lead.ok) return privately(lead.view);
    if (args.action === 'close') {
      const closed = await deps.writes.closeAssessment(lead.ctx);
      if (closed.kind === 'none-open') return privately(assessNotice('No self-assessment round is open.'));
      return privately(
        assessNotice(
          closed.posted
            ? `Round closed: ${closed.report.summary.answers} answers; the summary is in the channel.`
            : `Round closed: ${closed.report.summary.answers} answers; the summary could not be posted (no channel, or Slack refused).`,
        ),
      );
    }
    const due = 'due' in args && args.due ? dueAt(args.due, ctx.group.timezone) : null;
    const started = await deps.writes.startAssessment(lead.ctx, due);
    switch (started.kind) {
      case 'already-open':
        return privately(assessNotice('A round is open already: `/wg assess close` ends it.'));
      case 'no-questionnaire':
        return privately(assessNotice(`The questionnaire cannot be read: ${started.reason}`));
      case 'past-due':
        return privately(assessNotice('The due date has passed: pick a later one.'));
      default:
        return privately(
          roundStartedView(
            started.invited.length,
            started.unreachable,
            new Date(started.round.dueAt),
            viewer,
          ),
        );
    }
  },
});
